using System.Runtime.InteropServices;
using Google.Protobuf;
using HierRetrieval.Retrieval;
using Onnx;

namespace HierRetrieval.Export.Onnx;

/// <summary>
/// The names and metadata keys of the models this library exports, and a reader that checks them. The graph names
/// carry a <c>hierret.</c> prefix so that, as ML.NET columns, they do not collide with a user's columns.
/// </summary>
public sealed class OnnxModelMetadata
{
    /// <summary>Metadata key of the model kind (<see cref="TowerKind"/> or <see cref="RetrievalKind"/>).</summary>
    public const string KindKey = "hierret.kind";

    /// <summary>Metadata key of a tower's role (Query or Document).</summary>
    public const string RoleKey = "hierret.role";

    /// <summary>Metadata key of the item vocabulary, one name per line, line i = id i + 1.</summary>
    public const string QueryVocabularyKey = "hierret.vocabulary";

    /// <summary>Metadata key of the document names, one per line, line i = document row i.</summary>
    public const string DocumentNamesKey = "hierret.documents";

    /// <summary>Kind of a single-tower model.</summary>
    public const string TowerKind = "lookup-tower";

    /// <summary>Kind of a retrieval model (query tower + documents + top-k).</summary>
    public const string RetrievalKind = "lookup-retrieval";

    /// <summary>Graph input: item ids, int64 [batch, 1]; 0 = unknown, i + 1 = vocabulary[i].</summary>
    public const string ItemName = "hierret.item";

    /// <summary>Graph output: unit-norm embeddings, float [batch, dim].</summary>
    public const string EmbeddingName = "hierret.embedding";

    /// <summary>Graph output of retrieval models: top-k scores, float [batch, k].</summary>
    public const string ScoresName = "hierret.scores";

    /// <summary>Graph output of retrieval models: top-k document rows, int64 [batch, k].</summary>
    public const string DocumentsName = "hierret.documents";

    private readonly ModelProto _model;
    private readonly string _source;

    private OnnxModelMetadata(ModelProto model, string source)
    {
        _model = model;
        _source = source;
    }

    /// <summary>Export options with this library's names, ids starting at 1, and <paramref name="metadata"/>.</summary>
    internal static OnnxExportOptions TowerOptions(IReadOnlyDictionary<string, string> metadata) => new()
    {
        ItemName = ItemName,
        EmbeddingName = EmbeddingName,
        ScoresName = ScoresName,
        DocumentsName = DocumentsName,
        FirstId = 1,
        Metadata = metadata,
    };

    /// <summary>Joins names into one metadata value.</summary>
    /// <exception cref="ArgumentException">A name is empty, holds a line break, or repeats.</exception>
    internal static string JoinNames(IReadOnlyList<string> names)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (int i = 0; i < names.Count; i++)
        {
            string name = names[i];
            if (name.Length == 0 || name.Contains('\n') || name.Contains('\r'))
            {
                throw new ArgumentException($"name {i} is empty or holds a line break", nameof(names));
            }

            if (!seen.Add(name))
            {
                throw new ArgumentException($"name '{name}' appears twice", nameof(names));
            }
        }

        return string.Join('\n', names);
    }

    /// <summary>The kind recorded in a serialized model, or null when it is not an ONNX model of this library.</summary>
    /// <remarks>Reads only the metadata entries: the graph, with its tables, is skipped without being decoded.</remarks>
    public static string? KindOf(byte[] bytes) => Properties(bytes)?.GetValueOrDefault(KindKey);

    /// <summary>The metadata entries of a serialized model, read without decoding its graph.</summary>
    /// <exception cref="InvalidDataException">The bytes are not an ONNX model; the message names <paramref name="source"/>.</exception>
    public static IReadOnlyDictionary<string, string> ReadProperties(byte[] bytes, string source) =>
        Properties(bytes) ?? throw new InvalidDataException($"{source}: not an ONNX model");

    private static Dictionary<string, string>? Properties(byte[] bytes)
    {
        try
        {
            var properties = new Dictionary<string, string>(StringComparer.Ordinal);
            var input = new CodedInputStream(bytes);
            uint tag;
            while ((tag = input.ReadTag()) != 0)
            {
                if (WireFormat.GetTagFieldNumber(tag) != ModelProto.MetadataPropsFieldNumber)
                {
                    input.SkipLastField();
                    continue;
                }

                var entry = new StringStringEntryProto();
                input.ReadMessage(entry);
                properties[entry.Key] = entry.Value;
            }

            return properties;
        }
        catch (InvalidProtocolBufferException)
        {
            return null;
        }
    }

    /// <summary>Parses a serialized model.</summary>
    /// <exception cref="InvalidDataException">The bytes are not an ONNX model.</exception>
    internal static OnnxModelMetadata Read(byte[] bytes, string source)
    {
        try
        {
            var model = ModelProto.Parser.ParseFrom(bytes);
            return model.Graph is null ? throw new InvalidDataException($"{source}: not an ONNX model (no graph)") : new OnnxModelMetadata(model, source);
        }
        catch (InvalidProtocolBufferException e)
        {
            throw new InvalidDataException($"{source}: not an ONNX model ({e.Message})", e);
        }
    }

    /// <summary>The value of <paramref name="key"/>.</summary>
    /// <exception cref="InvalidDataException">The model has no such key.</exception>
    internal string Require(string key) =>
        _model.MetadataProps.FirstOrDefault(entry => entry.Key == key)?.Value
        ?? throw new InvalidDataException($"{_source}: the ONNX model has no '{key}' metadata; it was not exported by HierRetrieval.MLNet");

    /// <summary>Checks the model kind.</summary>
    /// <exception cref="InvalidDataException">The kind differs.</exception>
    internal void RequireKind(string kind)
    {
        string actual = Require(KindKey);
        if (actual != kind)
        {
            throw new InvalidDataException($"{_source}: expected a '{kind}' model, found '{actual}'");
        }
    }

    /// <summary>The entries whose key starts with <paramref name="prefix"/>, keyed by the rest.</summary>
    internal IReadOnlyDictionary<string, string> MetadataWithPrefix(string prefix) =>
        _model.MetadataProps.Where(e => e.Key.StartsWith(prefix, StringComparison.Ordinal)).ToDictionary(e => e.Key[prefix.Length..], e => e.Value);

    /// <summary>The names stored under <paramref name="key"/>.</summary>
    internal IReadOnlyList<string> Names(string key) => Require(key).Split('\n');

    /// <summary>The size of the embedding output's last dimension.</summary>
    internal int EmbeddingDimension =>
        (int)(_model.Graph.Output.FirstOrDefault(o => o.Name == EmbeddingName)?.Type.TensorType.Shape.Dim[^1].DimValue
        ?? throw new InvalidDataException($"{_source}: the graph has no '{EmbeddingName}' output"));

    /// <summary>The value of the retrieval graph's k.</summary>
    internal int K => (int)Initializer(RetrievalOnnx.KInitializer).Int64Data[0];

    /// <summary>Kind of a text retrieval model (text query tower + documents + top-k, with the document tower carried along).</summary>
    public const string TextRetrievalKind = "text-retrieval";

    /// <summary>Kind of a pooled sentence encoder (token ids in, unit-norm sentence embeddings out; see <see cref="SentenceEncoderOnnx"/>).</summary>
    public const string SentenceEncoderKind = "sentence-encoder";

    /// <summary>Kind of a retrieval model over a sentence encoder's embeddings (query head + documents + top-k, with the document head carried along).</summary>
    public const string BackboneRetrievalKind = "backbone-retrieval";

    /// <summary>The text tower whose initializers start with <paramref name="prefix"/>.</summary>
    internal TextTowerWeights TextTower(string prefix)
    {
        float[] Values(string name) => MemoryMarshal.Cast<byte, float>(Initializer(prefix + name).RawData.Span).ToArray();
        var features = Initializer(prefix + "features");
        var output = Initializer(prefix + "output.weight");
        return new TextTowerWeights(Values("features"), Values("hidden.weight"), Values("hidden.bias"), Values("output.weight"), Values("output.bias"),
            (int)features.Dims[0], (int)features.Dims[1], (int)output.Dims[1]);
    }

    /// <summary>The backbone head whose initializers start with <paramref name="prefix"/>.</summary>
    internal BackboneHeadWeights BackboneHead(string prefix)
    {
        float[] Values(string name) => MemoryMarshal.Cast<byte, float>(Initializer(prefix + name).RawData.Span).ToArray();
        var output = Initializer(prefix + "output.weight");
        bool hidden = _model.Graph.Initializer.Any(t => t.Name == prefix + "hidden.weight");
        int input = hidden ? (int)Initializer(prefix + "hidden.weight").Dims[0] : (int)output.Dims[0];
        return new BackboneHeadWeights(
            input, hidden ? (int)output.Dims[0] : 0, (int)output.Dims[1], hidden ? Values("hidden.weight") : [], hidden ? Values("hidden.bias") : [], Values("output.weight"), Values("output.bias"));
    }

    /// <summary>The table of the lookup tower, [rows, dim].</summary>
    internal EmbeddingMatrix TowerTable()
    {
        var tensor = Initializer(OnnxGraph.TableName(TowerOptions(new Dictionary<string, string>())));
        return new EmbeddingMatrix((int)tensor.Dims[0], (int)tensor.Dims[1], MemoryMarshal.Cast<byte, float>(tensor.RawData.Span).ToArray());
    }

    /// <summary>The float initializer <paramref name="name"/>, stored [dim, rows], as a rows x dim matrix.</summary>
    internal EmbeddingMatrix TransposedMatrix(string name)
    {
        var tensor = Initializer(name);
        int dimension = (int)tensor.Dims[0], rows = (int)tensor.Dims[1];
        var transposed = MemoryMarshal.Cast<byte, float>(tensor.RawData.Span);
        var matrix = new EmbeddingMatrix(rows, dimension);
        for (int column = 0; column < dimension; column++)
        {
            for (int row = 0; row < rows; row++)
            {
                matrix.Values[(row * dimension) + column] = transposed[(column * rows) + row];
            }
        }

        return matrix;
    }

    private TensorProto Initializer(string name) =>
        _model.Graph.Initializer.FirstOrDefault(t => t.Name == name) ?? throw new InvalidDataException($"{_source}: the graph has no '{name}' initializer");
}
