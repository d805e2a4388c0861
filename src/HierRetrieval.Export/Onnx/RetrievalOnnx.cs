using HierRetrieval.Retrieval;
using Onnx;
using static HierRetrieval.Export.Onnx.OnnxGraph;

namespace HierRetrieval.Export.Onnx;

/// <summary>
/// Builds a per-query retrieval graph: the query tower, the document embeddings as a constant, their product and
/// the top k. For ML.NET's per-row path; bulk scoring uses batched calls and the exact index instead.
/// </summary>
/// <remarks>
/// Input <c>item</c>: int64 [batch, 1]. Outputs: <c>embedding</c> float [batch, dim] (the query embedding),
/// <c>scores</c> float [batch, k] (cosines, descending) and <c>documents</c> int64 [batch, k] (document rows;
/// equal scores in ascending row order, as the exact index).
/// </remarks>
public static class RetrievalOnnx
{
    /// <summary>Name of the top-k scores output.</summary>
    public const string ScoresName = "scores";

    /// <summary>Name of the top-k document rows output.</summary>
    public const string DocumentsName = "documents";

    /// <summary>The serialized model retrieving the top <paramref name="k"/> of <paramref name="documents"/> for queries embedded by <paramref name="queryTable"/>.</summary>
    /// <exception cref="ArgumentException">The dimensions differ, or k is not between 1 and the number of documents.</exception>
    public static byte[] Build(EmbeddingMatrix queryTable, EmbeddingMatrix documents, int k, string producer = "HierRetrieval.MLNet")
    {
        if (queryTable.Dimension != documents.Dimension)
        {
            throw new ArgumentException($"query tower has dimension {queryTable.Dimension} but documents have {documents.Dimension}", nameof(documents));
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(k, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(k, documents.Rows);
        var graph = LookupTowerOnnx.Graph("hierarchical_retrieval", queryTable);
        graph.Output.Add(Value(ScoresName, TensorProto.Types.DataType.Float, Dimension("batch"), Dimension(k)));
        graph.Output.Add(Value(DocumentsName, TensorProto.Types.DataType.Int64, Dimension("batch"), Dimension(k)));
        graph.Initializer.Add(FloatTensor("documents.transposed", [documents.Dimension, documents.Rows], Transpose(documents)));
        graph.Initializer.Add(Int64Tensor("k", k));
        graph.Node.Add(Node("MatMul", [LookupTowerOnnx.OutputName, "documents.transposed"], "all_scores"));
        graph.Node.Add(Node("TopK", ["all_scores", "k"], [ScoresName, DocumentsName], IntAttribute("axis", -1), IntAttribute("largest", 1), IntAttribute("sorted", 1)));
        return Serialize(graph, producer);
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
