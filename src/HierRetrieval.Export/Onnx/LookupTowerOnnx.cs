using HierRetrieval.Retrieval;
using Onnx;
using static HierRetrieval.Export.Onnx.OnnxGraph;

namespace HierRetrieval.Export.Onnx;

/// <summary>
/// Builds the ONNX graph of a lookup-table tower: item ids in, unit-norm embeddings out. The table is an
/// initializer, so the model file is self-contained.
/// </summary>
/// <remarks>
/// Input <c>item</c>: int64 [batch, 1] (the shape ML.NET's ApplyOnnxModel gives a scalar column). Output
/// <c>embedding</c>: float [batch, dim] = LpNormalization(Gather(table, Reshape(item, [-1])), p = 2). Opset 13.
/// Ids outside [0, rows) (which Gather would reject, or wrap around when negative) get a zero embedding; callers
/// that want an error instead validate ids before the graph.
/// </remarks>
public static class LookupTowerOnnx
{
    /// <summary>Name of the graph's input.</summary>
    public const string InputName = "item";

    /// <summary>Name of the graph's output.</summary>
    public const string OutputName = "embedding";

    /// <summary>The serialized ONNX model of a tower whose rows are <paramref name="table"/> (row i = item i).</summary>
    public static byte[] Build(EmbeddingMatrix table, string producer = "HierRetrieval.MLNet") =>
        Serialize(Graph("lookup_tower", table), producer);

    /// <summary>A graph named <paramref name="name"/> with the tower's input, its output and its nodes, for other graphs to extend.</summary>
    internal static GraphProto Graph(string name, EmbeddingMatrix table)
    {
        var graph = new GraphProto { Name = name };
        graph.Input.Add(Value(InputName, TensorProto.Types.DataType.Int64, Dimension("batch"), Dimension(1)));
        graph.Output.Add(Value(OutputName, TensorProto.Types.DataType.Float, Dimension("batch"), Dimension(table.Dimension)));
        AddLookupTower(graph, table, InputName, OutputName);
        return graph;
    }
}
