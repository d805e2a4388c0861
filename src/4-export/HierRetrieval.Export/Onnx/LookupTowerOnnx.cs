using HierRetrieval.Retrieval;
using Onnx;
using static HierRetrieval.Export.Onnx.OnnxGraph;

namespace HierRetrieval.Export.Onnx;

/// <summary>
/// Builds the ONNX graph of a lookup-table tower: item ids in, unit-norm embeddings out. The table is an
/// initializer, so the model file is self-contained.
/// </summary>
/// <remarks>
/// Input (<see cref="OnnxExportOptions.ItemName"/>): int64 [batch, 1], the shape ML.NET's ApplyOnnxModel gives a
/// scalar column. Output (<see cref="OnnxExportOptions.EmbeddingName"/>): float [batch, dim] =
/// LpNormalization(Gather(table, id - FirstId), p = 2). Opset 13. Unknown ids (outside the table, which Gather would
/// reject, or wrap around when negative) never reach Gather: they get a zero embedding, which scores 0 against every
/// document. Callers that want an error instead validate ids before the graph.
/// </remarks>
public static class LookupTowerOnnx
{
    /// <summary>The serialized ONNX model of a tower whose rows are <paramref name="table"/> (row i = item FirstId + i).</summary>
    public static byte[] Build(EmbeddingMatrix table, OnnxExportOptions? options = null)
    {
        options ??= new OnnxExportOptions();
        return Serialize(Graph("lookup_tower", table, options), options);
    }

    /// <summary>A graph named <paramref name="name"/> with the tower's input, its output and its nodes, for other graphs to extend.</summary>
    internal static GraphProto Graph(string name, EmbeddingMatrix table, OnnxExportOptions options)
    {
        var graph = new GraphProto { Name = name };
        graph.Input.Add(Value(options.ItemName, TensorProto.Types.DataType.Int64, Dimension("batch"), Dimension(1)));
        graph.Output.Add(Value(options.EmbeddingName, TensorProto.Types.DataType.Float, Dimension("batch"), Dimension(table.Dimension)));
        AddLookupTower(graph, table, options);
        return graph;
    }
}
