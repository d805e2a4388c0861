using HierRetrieval.Export.Onnx;
using HierRetrieval.Retrieval;

namespace HierRetrieval.Export.Models;

/// <summary>
/// What every exported model that embeds query text carries: its documents (unit-norm embeddings and names), the k of
/// its retrieval graph, the serialized graph and the notes recorded for whoever uses it.
/// </summary>
public abstract class ExportedTextModel
{
    /// <summary>Prefix of the notes' metadata keys.</summary>
    private protected const string NotePrefix = "hierret.note.";

    private protected ExportedTextModel(IReadOnlyList<string> documentNames, EmbeddingMatrix documents, int k, byte[] onnxModel, IReadOnlyDictionary<string, string> notes)
    {
        DocumentNames = documentNames;
        Documents = documents;
        K = k;
        OnnxModel = onnxModel;
        Notes = notes;
    }

    /// <summary>Names (ids) of the documents, in row order.</summary>
    public IReadOnlyList<string> DocumentNames { get; }

    /// <summary>The unit-norm document embeddings.</summary>
    public EmbeddingMatrix Documents { get; }

    /// <summary>Documents returned per query by the graph.</summary>
    public int K { get; }

    /// <summary>The serialized ONNX retrieval graph.</summary>
    public byte[] OnnxModel { get; }

    /// <summary>Settings the model records for whoever uses it (e.g. which product fields make a document's text), as key-value pairs.</summary>
    public IReadOnlyDictionary<string, string> Notes { get; }

    /// <summary>The graph metadata of a model of <paramref name="kind"/>: the kind, the document names and the notes.</summary>
    private protected static Dictionary<string, string> Metadata(string kind, IReadOnlyList<string> documentNames, IReadOnlyDictionary<string, string> notes)
    {
        var metadata = new Dictionary<string, string>
        {
            [OnnxModelMetadata.KindKey] = kind,
            [OnnxModelMetadata.DocumentNamesKey] = OnnxModelMetadata.JoinNames(documentNames),
        };
        foreach (var (key, value) in notes)
        {
            metadata[NotePrefix + key] = value;
        }

        return metadata;
    }

    /// <summary>A copy of <paramref name="documents"/> with unit-norm rows.</summary>
    private protected static EmbeddingMatrix Normalized(EmbeddingMatrix documents) =>
        new EmbeddingMatrix(documents.Rows, documents.Dimension, documents.Values.ToArray()).NormalizeRows();
}
