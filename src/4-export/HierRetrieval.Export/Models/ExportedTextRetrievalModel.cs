using HierRetrieval.Export.Onnx;
using HierRetrieval.Retrieval;

namespace HierRetrieval.Export.Models;

/// <summary>
/// A text dual encoder as one ONNX retrieval graph: the query tower (feature counts in), the embedded documents,
/// MatMul and TopK, with the document tower's weights and the document names carried in the model, so that a saved
/// model alone can score queries against its documents or embed a new set of documents.
/// </summary>
public sealed class ExportedTextRetrievalModel : ExportedTextModel
{
    private ExportedTextRetrievalModel(TextTowerWeights queryTower, TextTowerWeights documentTower, IReadOnlyList<string> documentNames, EmbeddingMatrix documents, int k, byte[] onnxModel, IReadOnlyDictionary<string, string> notes)
        : base(documentNames, documents, k, onnxModel, notes)
    {
        QueryTower = queryTower;
        DocumentTower = documentTower;
    }

    /// <summary>The query tower's weights.</summary>
    public TextTowerWeights QueryTower { get; }

    /// <summary>The document tower's weights.</summary>
    public TextTowerWeights DocumentTower { get; }

    /// <summary>Exports the towers and the embedded documents.</summary>
    /// <exception cref="ArgumentException">Names and rows differ in number, the towers differ in shape, or k is out of range.</exception>
    public static ExportedTextRetrievalModel FromWeights(TextTowerWeights queryTower, TextTowerWeights documentTower, IReadOnlyList<string> documentNames, EmbeddingMatrix documents, int k, IReadOnlyDictionary<string, string>? notes = null)
    {
        notes ??= new Dictionary<string, string>();
        if (documentNames.Count != documents.Rows || queryTower.FeatureCount != documentTower.FeatureCount || queryTower.Dimension != documentTower.Dimension)
        {
            throw new ArgumentException($"{documentNames.Count} names for {documents.Rows} documents; towers read {queryTower.FeatureCount} and {documentTower.FeatureCount} features into d={queryTower.Dimension} and d={documentTower.Dimension}");
        }

        var normalized = Normalized(documents);
        byte[] onnx = RetrievalOnnx.Build(queryTower, normalized, k, OnnxModelMetadata.TowerOptions(Metadata(OnnxModelMetadata.TextRetrievalKind, documentNames, notes)), documentTower);
        return new ExportedTextRetrievalModel(queryTower, documentTower, documentNames, normalized, k, onnx, notes);
    }

    /// <summary>Reads a model built by <see cref="FromWeights"/>.</summary>
    /// <exception cref="InvalidDataException">The bytes are not a text retrieval model of this library.</exception>
    public static ExportedTextRetrievalModel Read(byte[] onnxModel, string source)
    {
        var model = OnnxModelMetadata.Read(onnxModel, source);
        model.RequireKind(OnnxModelMetadata.TextRetrievalKind);
        var documents = model.TransposedMatrix(RetrievalOnnx.DocumentsInitializer);
        var notes = model.MetadataWithPrefix(NotePrefix);
        return new ExportedTextRetrievalModel(model.TextTower(TextTowerOnnx.Prefix), model.TextTower(RetrievalOnnx.DocumentTowerPrefix), model.Names(OnnxModelMetadata.DocumentNamesKey), documents, model.K, onnxModel, notes);
    }
}
