using HierRetrieval.Retrieval;
using Onnx;
using static HierRetrieval.Export.Onnx.OnnxGraph;

namespace HierRetrieval.Export.Onnx;

/// <summary>
/// Builds a per-query retrieval graph: the query tower, the document embeddings as a constant, their product and
/// the top k. For ML.NET's per-row path; bulk scoring uses batched calls and the exact index instead.
/// </summary>
/// <remarks>
/// Input: item ids, int64 [batch, 1], as for <see cref="LookupTowerOnnx"/>. Outputs (names from
/// <see cref="OnnxExportOptions"/>): the query embedding, float [batch, dim]; the top-k scores, float [batch, k]
/// (cosines, descending); the top-k document rows, int64 [batch, k] (equal scores in ascending row order, as the
/// exact index).
/// </remarks>
public static class RetrievalOnnx
{
    /// <summary>Name of the initializer holding the document embeddings, transposed to [dim, rows].</summary>
    internal const string DocumentsInitializer = "documents.transposed";

    /// <summary>Name of the initializer holding k.</summary>
    internal const string KInitializer = "k";

    /// <summary>The serialized model retrieving the top <paramref name="k"/> of <paramref name="documents"/> for queries embedded by <paramref name="queryTable"/>.</summary>
    /// <exception cref="ArgumentException">The dimensions differ, or k is not between 1 and the number of documents.</exception>
    public static byte[] Build(EmbeddingMatrix queryTable, EmbeddingMatrix documents, int k, OnnxExportOptions? options = null)
    {
        if (queryTable.Dimension != documents.Dimension)
        {
            throw new ArgumentException($"query tower has dimension {queryTable.Dimension} but documents have {documents.Dimension}", nameof(documents));
        }

        options ??= new OnnxExportOptions();
        return WithRetrievalHead(LookupTowerOnnx.Graph("hierarchical_retrieval", queryTable, options), documents, k, options);
    }

    /// <summary>The serialized model retrieving the top <paramref name="k"/> of <paramref name="documents"/> for texts embedded by a text tower (input: feature counts).</summary>
    /// <exception cref="ArgumentException">The dimensions differ, or k is not between 1 and the number of documents.</exception>
    /// <param name="queryTower">The query tower, run by the graph.</param>
    /// <param name="documents">The embedded documents.</param>
    /// <param name="k">Documents returned per query.</param>
    /// <param name="options">Names and metadata.</param>
    /// <param name="documentTower">A document tower to carry along (as initializers prefixed <see cref="DocumentTowerPrefix"/>, unused by the graph), so that the model alone can embed new documents.</param>
    public static byte[] Build(TextTowerWeights queryTower, EmbeddingMatrix documents, int k, OnnxExportOptions? options = null, TextTowerWeights? documentTower = null)
    {
        if (queryTower.Dimension != documents.Dimension)
        {
            throw new ArgumentException($"query tower has dimension {queryTower.Dimension} but documents have {documents.Dimension}", nameof(documents));
        }

        options ??= new OnnxExportOptions();
        var graph = TextTowerOnnx.Graph("hierarchical_text_retrieval", queryTower, options);
        if (documentTower is not null)
        {
            documentTower.Validate();
            TextTowerOnnx.AddWeights(graph, documentTower, DocumentTowerPrefix);
            MarkCarried(graph);
        }

        return WithRetrievalHead(graph, documents, k, options);
    }

    /// <summary>The serialized model retrieving the top <paramref name="k"/> of <paramref name="documents"/> for sentence embeddings mapped by a head (input: a sentence encoder's embeddings).</summary>
    /// <exception cref="ArgumentException">The dimensions differ, or k is not between 1 and the number of documents.</exception>
    /// <param name="queryHead">The query head, run by the graph.</param>
    /// <param name="documents">The embedded documents.</param>
    /// <param name="k">Documents returned per query.</param>
    /// <param name="options">Names and metadata.</param>
    /// <param name="documentHead">The document head, carried along (initializers prefixed <see cref="DocumentTowerPrefix"/>, unused by the graph).</param>
    public static byte[] Build(BackboneHeadWeights queryHead, EmbeddingMatrix documents, int k, OnnxExportOptions options, BackboneHeadWeights documentHead)
    {
        if (queryHead.Dimension != documents.Dimension || documentHead.Dimension != documents.Dimension || queryHead.InputDimension != documentHead.InputDimension)
        {
            throw new ArgumentException($"heads map {queryHead.InputDimension} and {documentHead.InputDimension} into d={queryHead.Dimension} and d={documentHead.Dimension}, documents have d={documents.Dimension}", nameof(documents));
        }

        var graph = BackboneHeadOnnx.Graph("hierarchical_backbone_retrieval", queryHead, options);
        BackboneHeadOnnx.AddWeights(graph, documentHead, DocumentTowerPrefix);
        MarkCarried(graph);
        return WithRetrievalHead(graph, documents, k, options);
    }

    /// <summary>
    /// Marks the carried document tower's initializers as used: a Shape node per tensor, so that ONNX Runtime does not
    /// warn at load about initializers no node reads.
    /// </summary>
    private static void MarkCarried(GraphProto graph)
    {
        foreach (var tensor in graph.Initializer.Where(t => t.Name.StartsWith(DocumentTowerPrefix, StringComparison.Ordinal)).ToArray())
        {
            graph.Node.Add(Node("Shape", [tensor.Name], tensor.Name + ".shape"));
        }
    }

    /// <summary>Prefix of the carried document tower's initializers.</summary>
    public const string DocumentTowerPrefix = "document_tower.";

    /// <summary>Adds the document matrix, MatMul and TopK after a tower graph's embedding output, and serializes.</summary>
    private static byte[] WithRetrievalHead(GraphProto graph, EmbeddingMatrix documents, int k, OnnxExportOptions options)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(k, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(k, documents.Rows);
        graph.Output.Add(Value(options.ScoresName, TensorProto.Types.DataType.Float, Dimension("batch"), Dimension(k)));
        graph.Output.Add(Value(options.DocumentsName, TensorProto.Types.DataType.Int64, Dimension("batch"), Dimension(k)));
        graph.Initializer.Add(FloatTensor(DocumentsInitializer, [documents.Dimension, documents.Rows], Transpose(documents)));
        graph.Initializer.Add(Int64Tensor(KInitializer, k));
        graph.Node.Add(Node("MatMul", [options.EmbeddingName, DocumentsInitializer], "all_scores"));
        graph.Node.Add(Node("TopK", ["all_scores", KInitializer], [options.ScoresName, options.DocumentsName], IntAttribute("axis", -1), IntAttribute("largest", 1), IntAttribute("sorted", 1)));
        return Serialize(graph, options);
    }

    private static float[] Transpose(EmbeddingMatrix matrix)
    {
        float[] transposed = new float[matrix.Values.Length];
        for (int row = 0; row < matrix.Rows; row++)
        {
            var values = matrix.Row(row);
            for (int column = 0; column < matrix.Dimension; column++)
            {
                transposed[(column * matrix.Rows) + row] = values[column];
            }
        }

        return transposed;
    }
}
