using HierRetrieval.Export.Models;
using HierRetrieval.Export.Onnx;
using HierRetrieval.Runtime.Text.Backbones;

namespace HierRetrieval.Runtime.Zips;

/// <summary>
/// The models of this library that one pass over a model zip found (<see cref="RetrievalModelZip.ReadContents"/>):
/// learn the zip's <see cref="Kind"/>, then parse the model of that kind without reading the zip again.
/// </summary>
public sealed class ModelZipContents
{
    private static readonly string[] RetrievalKinds = [OnnxModelMetadata.RetrievalKind, OnnxModelMetadata.TextRetrievalKind, OnnxModelMetadata.BackboneRetrievalKind];
    private readonly IReadOnlyDictionary<string, (byte[] Bytes, string Source)> _found;

    internal ModelZipContents(string path, IReadOnlyDictionary<string, (byte[] Bytes, string Source)> found)
    {
        Path = path;
        _found = found;
    }

    /// <summary>All kinds of model this library saves in a zip, including the sentence encoder under a backbone model.</summary>
    internal static string[] AllKinds { get; } = [.. RetrievalKinds, OnnxModelMetadata.SentenceEncoderKind];

    /// <summary>The zip's path.</summary>
    public string Path { get; }

    /// <summary>
    /// The kind of retrieval model in the zip: <see cref="OnnxModelMetadata.RetrievalKind"/> (lookup tables),
    /// <see cref="OnnxModelMetadata.TextRetrievalKind"/> or <see cref="OnnxModelMetadata.BackboneRetrievalKind"/>.
    /// </summary>
    /// <exception cref="InvalidDataException">The zip holds no retrieval model of this library.</exception>
    public string Kind => RetrievalKinds.FirstOrDefault(_found.ContainsKey) ?? throw NotFound(RetrievalKinds);

    /// <summary>The lookup-table retrieval model.</summary>
    /// <exception cref="InvalidDataException">The zip holds none.</exception>
    public ExportedRetrievalModel Retrieval()
    {
        var (bytes, source) = Require(OnnxModelMetadata.RetrievalKind);
        return ExportedRetrievalModel.Read(bytes, source);
    }

    /// <summary>The text retrieval model (n-gram towers).</summary>
    /// <exception cref="InvalidDataException">The zip holds none.</exception>
    public ExportedTextRetrievalModel Text()
    {
        var (bytes, source) = Require(OnnxModelMetadata.TextRetrievalKind);
        return ExportedTextRetrievalModel.Read(bytes, source);
    }

    /// <summary>The backbone retrieval model (heads over a sentence encoder), and the sentence encoder it embeds text with.</summary>
    /// <exception cref="InvalidDataException">The zip holds no backbone model, or no sentence encoder.</exception>
    public (SentenceEncoderModel Encoder, ExportedBackboneRetrievalModel Model) Backbone()
    {
        var (bytes, source) = Require(OnnxModelMetadata.BackboneRetrievalKind);
        var (encoder, encoderSource) = Require(OnnxModelMetadata.SentenceEncoderKind);
        return (SentenceEncoderModel.FromPooledGraph(encoder, encoderSource), ExportedBackboneRetrievalModel.Read(bytes, source));
    }

    private (byte[] Bytes, string Source) Require(string kind) => _found.TryGetValue(kind, out var entry) ? entry : throw NotFound(kind);

    private InvalidDataException NotFound(params string[] kinds) =>
        new($"{Path}: the zip holds no HierRetrieval '{string.Join("' or '", kinds)}' model (was it saved by this library?)");
}
