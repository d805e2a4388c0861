using HierRetrieval.Export.Onnx;
using HierRetrieval.Retrieval;

namespace HierRetrieval.Export.Models;

/// <summary>
/// A text dual encoder as one ONNX retrieval graph: the query tower (feature counts in), the embedded documents,
/// MatMul and TopK, with the document tower's weights and the document names carried in the model, so that a saved
/// model alone can score queries against its documents or embed a new set of documents.
/// </summary>
public sealed class ExportedTextRetrievalModel
{
    private ExportedTextRetrievalModel(TextTowerWeights queryTower, TextTowerWeights documentTower, IReadOnlyList<string> documentNames, EmbeddingMatrix documents, int k, byte[] onnxModel, IReadOnlyDictionary<string, string> notes)
    {
        Notes = notes;
        QueryTower = queryTower;
        DocumentTower = documentTower;
        DocumentNames = documentNames;
        Documents = documents;
        K = k;
        OnnxModel = onnxModel;
    }

    /// <summary>The query tower's weights.</summary>
    public TextTowerWeights QueryTower { get; }

    /// <summary>The document tower's weights.</summary>
    public TextTowerWeights DocumentTower { get; }

    /// <summary>Names (ids) of the documents, in row order.</summary>
    public IReadOnlyList<string> DocumentNames { get; }

    /// <summary>The unit-norm document embeddings.</summary>
    public EmbeddingMatrix Documents { get; }

    /// <summary>Documents returned per query by the graph.</summary>
    public int K { get; }

    /// <summary>The serialized ONNX model.</summary>
    public byte[] OnnxModel { get; }

    /// <summary>Settings the model records for whoever uses it (e.g. which product fields make a document's text), as key-value pairs.</summary>
    public IReadOnlyDictionary<string, string> Notes { get; }

    private const string NotePrefix = "hierret.note.";

    /// <summary>Exports the towers and the embedded documents.</summary>
    /// <exception cref="ArgumentException">Names and rows differ in number, the towers differ in shape, or k is out of range.</exception>
    public static ExportedTextRetrievalModel FromWeights(TextTowerWeights queryTower, TextTowerWeights documentTower, IReadOnlyList<string> documentNames, EmbeddingMatrix documents, int k, IReadOnlyDictionary<string, string>? notes = null)
    {
        notes ??= new Dictionary<string, string>();
        if (documentNames.Count != documents.Rows || queryTower.FeatureCount != documentTower.FeatureCount || queryTower.Dimension != documentTower.Dimension)
        {
            throw new ArgumentException($"{documentNames.Count} names for {documents.Rows} documents; towers read {queryTower.FeatureCount} and {documentTower.FeatureCount} features into d={queryTower.Dimension} and d={documentTower.Dimension}");
        }

        var normalized = new EmbeddingMatrix(documents.Rows, documents.Dimension, documents.Values.ToArray()).NormalizeRows();
        var metadata = new Dictionary<string, string>
        {
            [OnnxModelMetadata.KindKey] = OnnxModelMetadata.TextRetrievalKind,
            [OnnxModelMetadata.DocumentNamesKey] = OnnxModelMetadata.JoinNames(documentNames),
        };
        foreach (var (key, value) in notes)
        {
            metadata[NotePrefix + key] = value;
        }

        byte[] onnx = RetrievalOnnx.Build(queryTower, normalized, k, OnnxModelMetadata.TowerOptions(metadata), documentTower);
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
