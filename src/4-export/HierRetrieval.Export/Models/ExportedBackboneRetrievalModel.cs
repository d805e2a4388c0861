using HierRetrieval.Export.Onnx;
using HierRetrieval.Retrieval;

namespace HierRetrieval.Export.Models;

/// <summary>
/// A dual encoder over a sentence encoder, as one ONNX retrieval graph: the query head (sentence embeddings in), the
/// embedded documents, MatMul and TopK, with the document head and the document names carried in the model. The
/// sentence encoder itself travels beside it (see <see cref="SentenceEncoderOnnx"/>).
/// </summary>
public sealed class ExportedBackboneRetrievalModel : ExportedTextModel
{
    private ExportedBackboneRetrievalModel(BackboneHeadWeights queryHead, BackboneHeadWeights documentHead, IReadOnlyList<string> documentNames, EmbeddingMatrix documents, int k, byte[] onnxModel, IReadOnlyDictionary<string, string> notes)
        : base(documentNames, documents, k, onnxModel, notes)
    {
        QueryHead = queryHead;
        DocumentHead = documentHead;
    }

    /// <summary>The query head's weights.</summary>
    public BackboneHeadWeights QueryHead { get; }

    /// <summary>The document head's weights.</summary>
    public BackboneHeadWeights DocumentHead { get; }

    /// <summary>Exports the heads and the embedded documents.</summary>
    /// <exception cref="ArgumentException">Names and rows differ in number, the heads differ in shape, or k is out of range.</exception>
    public static ExportedBackboneRetrievalModel FromWeights(BackboneHeadWeights queryHead, BackboneHeadWeights documentHead, IReadOnlyList<string> documentNames, EmbeddingMatrix documents, int k, IReadOnlyDictionary<string, string>? notes = null)
    {
        notes ??= new Dictionary<string, string>();
        if (documentNames.Count != documents.Rows)
        {
            throw new ArgumentException($"{documentNames.Count} names for {documents.Rows} documents", nameof(documentNames));
        }

        var normalized = Normalized(documents);
        byte[] onnx = RetrievalOnnx.Build(queryHead, normalized, k, OnnxModelMetadata.TowerOptions(Metadata(OnnxModelMetadata.BackboneRetrievalKind, documentNames, notes)), documentHead);
        return new ExportedBackboneRetrievalModel(queryHead, documentHead, documentNames, normalized, k, onnx, notes);
    }

    /// <summary>Reads a model built by <see cref="FromWeights"/>.</summary>
    /// <exception cref="InvalidDataException">The bytes are not a backbone retrieval model of this library.</exception>
    public static ExportedBackboneRetrievalModel Read(byte[] onnxModel, string source)
    {
        var model = OnnxModelMetadata.Read(onnxModel, source);
        model.RequireKind(OnnxModelMetadata.BackboneRetrievalKind);
        return new ExportedBackboneRetrievalModel(
            model.BackboneHead(BackboneHeadOnnx.Prefix), model.BackboneHead(RetrievalOnnx.DocumentTowerPrefix), model.Names(OnnxModelMetadata.DocumentNamesKey),
            model.TransposedMatrix(RetrievalOnnx.DocumentsInitializer), model.K, onnxModel, model.MetadataWithPrefix(NotePrefix));
    }
}
