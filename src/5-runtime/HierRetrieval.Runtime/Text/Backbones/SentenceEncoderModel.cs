using HierRetrieval.Export.Onnx;
using System.IO.Hashing;
using System.Text.Json;
using System.Text.Json.Serialization;
using HierRetrieval.Data.IO;

namespace HierRetrieval.Runtime.Text.Backbones;

/// <summary>
/// A pretrained sentence encoder as data: its ONNX graph (BERT-style inputs <c>input_ids</c>, <c>attention_mask</c>
/// and optionally <c>token_type_ids</c>; token states as the first output), its WordPiece vocabulary, how its token
/// states are pooled and how many tokens it reads. Run it with <see cref="SentenceEncoder"/>.
/// </summary>
public sealed class SentenceEncoderModel
{
    /// <summary>The ONNX graph's file name in a model folder.</summary>
    public const string OnnxFileName = "model.onnx";

    /// <summary>The vocabulary's file name in a model folder (one WordPiece token per line).</summary>
    public const string VocabularyFileName = "vocab.txt";

    /// <summary>The optional settings file of a model folder (<c>{"pooling": "mean"|"cls", "maxTokens": 256}</c>).</summary>
    public const string SettingsFileName = "backbone.json";

    /// <summary>Creates a model from its parts.</summary>
    /// <exception cref="ArgumentException">A part is empty, or <paramref name="maxTokens"/> is not in 3..8192.</exception>
    public SentenceEncoderModel(string name, byte[] onnxModel, byte[] vocabulary, BackbonePooling pooling, int maxTokens)
        : this(name, onnxModel, vocabulary, pooling, maxTokens, pooled: false, fingerprint: null)
    {
    }

    private SentenceEncoderModel(string name, byte[] onnxModel, byte[] vocabulary, BackbonePooling pooling, int maxTokens, bool pooled, string? fingerprint)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        if (onnxModel.Length == 0 || vocabulary.Length == 0)
        {
            throw new ArgumentException($"{name}: the ONNX graph and the vocabulary must not be empty");
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(maxTokens, 3);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(maxTokens, 8192);
        Name = name;
        OnnxModel = onnxModel;
        Vocabulary = vocabulary;
        Pooling = pooling;
        MaxTokens = maxTokens;
        Fingerprint = fingerprint ?? ComputeFingerprint();
        _pooledGraph = pooled ? new Lazy<byte[]>(onnxModel) : new Lazy<byte[]>(BuildPooledGraph);
    }

    private readonly Lazy<byte[]> _pooledGraph;

    /// <summary>A name for messages and reports (<c>minilm</c>, or the folder a model came from).</summary>
    public string Name { get; }

    /// <summary>The serialised ONNX graph.</summary>
    public byte[] OnnxModel { get; }

    /// <summary>The vocab.txt bytes.</summary>
    public byte[] Vocabulary { get; }

    /// <summary>How token states become one vector.</summary>
    public BackbonePooling Pooling { get; }

    /// <summary>Tokens read per text, [CLS] and [SEP] included; longer texts are cut, as sentence-transformers does.</summary>
    public int MaxTokens { get; }

    /// <summary>16 hex digits that change whenever the graph, the vocabulary, the pooling or the token limit does (the embedding cache's key).</summary>
    public string Fingerprint { get; }

    /// <summary>
    /// The graph a <see cref="SentenceEncoder"/> runs and a model zip carries: <see cref="OnnxModel"/> with the pooling
    /// and normalisation appended (<see cref="SentenceEncoderOnnx"/>), recording this model's name, settings,
    /// vocabulary and fingerprint, so that <see cref="FromPooledGraph"/> gives the model back. Built once per model.
    /// </summary>
    /// <exception cref="InvalidDataException">The graph is not a BERT-style sentence encoder; the message names the model.</exception>
    public byte[] PooledGraph => _pooledGraph.Value;

    /// <summary>The model whose <see cref="PooledGraph"/> is <paramref name="pooledGraph"/>, as read from a model zip.</summary>
    /// <exception cref="InvalidDataException">The bytes are not a pooled sentence encoder of this library; the message names <paramref name="source"/>.</exception>
    public static SentenceEncoderModel FromPooledGraph(byte[] pooledGraph, string source)
    {
        var metadata = OnnxModelMetadata.ReadProperties(pooledGraph, source);
        string Require(string key) => metadata.TryGetValue(key, out string? value) ? value
            : throw new InvalidDataException($"{source}: the sentence encoder lacks its '{key}' metadata; it was not saved by this library");
        if (Require(OnnxModelMetadata.KindKey) != OnnxModelMetadata.SentenceEncoderKind)
        {
            throw new InvalidDataException($"{source}: expected a '{OnnxModelMetadata.SentenceEncoderKind}' model, found '{metadata[OnnxModelMetadata.KindKey]}'");
        }

        return Enum.TryParse(Require(PoolingKey), ignoreCase: false, out BackbonePooling pooling) && int.TryParse(Require(MaxTokensKey), out int maxTokens)
            ? new SentenceEncoderModel(Require(NameKey), pooledGraph, System.Text.Encoding.UTF8.GetBytes(Require(VocabularyKey)), pooling, maxTokens, pooled: true, Require(FingerprintKey))
            : throw new InvalidDataException($"{source}: the sentence encoder's pooling or token limit is not readable");
    }

    private const string NameKey = "hierret.encoder.name";
    private const string PoolingKey = "hierret.encoder.pooling";
    private const string MaxTokensKey = "hierret.encoder.max_tokens";
    private const string VocabularyKey = "hierret.encoder.vocabulary";
    private const string FingerprintKey = "hierret.encoder.fingerprint";

    private byte[] BuildPooledGraph() => SentenceEncoderOnnx.Pooled(
        OnnxModel,
        Pooling,
        new Dictionary<string, string>
        {
            [NameKey] = Name,
            [PoolingKey] = Pooling.ToString(),
            [MaxTokensKey] = MaxTokens.ToString(System.Globalization.CultureInfo.InvariantCulture),
            [VocabularyKey] = System.Text.Encoding.UTF8.GetString(Vocabulary),
            [FingerprintKey] = Fingerprint,
        },
        $"{Name}/{OnnxFileName}");

    /// <summary>
    /// Reads a model folder: <c>model.onnx</c> and <c>vocab.txt</c>, and optionally <c>backbone.json</c> (mean pooling and
    /// 256 tokens when absent). The graph itself is checked when a <see cref="SentenceEncoder"/> opens it.
    /// </summary>
    /// <exception cref="DirectoryNotFoundException">The folder does not exist.</exception>
    /// <exception cref="FileNotFoundException">A required file is missing; the message names it.</exception>
    /// <exception cref="InvalidDataException">A file is empty or the settings are malformed; the message names the file.</exception>
    public static SentenceEncoderModel LoadFolder(string folder)
    {
        if (!Directory.Exists(folder))
        {
            throw new DirectoryNotFoundException($"{folder}: no such sentence-encoder folder (it should hold {OnnxFileName} and {VocabularyFileName})");
        }

        var settings = ReadSettings(Path.Combine(folder, SettingsFileName));
        return new SentenceEncoderModel(
            Path.GetFileName(Path.TrimEndingDirectorySeparator(Path.GetFullPath(folder))),
            ReadRequired(Path.Combine(folder, OnnxFileName)),
            ReadRequired(Path.Combine(folder, VocabularyFileName)),
            settings.Pooling,
            settings.MaxTokens);
    }

    /// <summary>Writes the model as a folder that <see cref="LoadFolder"/> reads back.</summary>
    public void SaveFolder(string folder)
    {
        Directory.CreateDirectory(folder);
        AtomicFile.Write(Path.Combine(folder, OnnxFileName), s => s.Write(OnnxModel));
        AtomicFile.Write(Path.Combine(folder, VocabularyFileName), s => s.Write(Vocabulary));
        AtomicFile.Write(Path.Combine(folder, SettingsFileName), s => JsonSerializer.Serialize(s, new FolderSettings(Pooling, MaxTokens), SettingsJson));
    }

    private static readonly JsonSerializerOptions SettingsJson = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        WriteIndented = true,
    };

    private sealed record FolderSettings(BackbonePooling Pooling = BackbonePooling.Mean, int MaxTokens = 256);

    private static FolderSettings ReadSettings(string path)
    {
        if (!File.Exists(path))
        {
            return new FolderSettings();
        }

        try
        {
            var settings = JsonSerializer.Deserialize<FolderSettings>(File.ReadAllBytes(path), SettingsJson)
                ?? throw new JsonException("the file holds null");
            return settings.MaxTokens is >= 3 and <= 8192
                ? settings
                : throw new JsonException($"maxTokens must be in 3..8192 (got {settings.MaxTokens})");
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path}: not valid sentence-encoder settings ({e.Message}); expected {{\"pooling\": \"mean\"|\"cls\", \"maxTokens\": 256}}", e);
        }
    }

    private static byte[] ReadRequired(string path)
    {
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"{path}: missing; a sentence-encoder folder holds {OnnxFileName} and {VocabularyFileName}", path);
        }

        byte[] bytes = File.ReadAllBytes(path);
        return bytes.Length > 0 ? bytes : throw new InvalidDataException($"{path}: the file is empty");
    }

    private string ComputeFingerprint()
    {
        var hash = new XxHash64();
        hash.Append(OnnxModel);
        hash.Append(Vocabulary);
        hash.Append([(byte)Pooling]);
        hash.Append(BitConverter.GetBytes(MaxTokens));
        return Convert.ToHexStringLower(hash.GetCurrentHash());
    }
}
