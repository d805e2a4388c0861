using System.Runtime.InteropServices;
using Google.Protobuf;
using HierRetrieval.Retrieval;
using Onnx;

namespace HierRetrieval.Export.Onnx;

/// <summary>
/// Builds the ONNX graph of a lookup-table tower: item ids in, unit-norm embeddings out. The table is an
/// initializer, so the model file is self-contained.
/// </summary>
/// <remarks>
/// Input <c>item</c>: int64 [batch, 1] (the shape ML.NET's ApplyOnnxModel gives a scalar column). Output
/// <c>embedding</c>: float [batch, dim] = LpNormalization(Gather(table, Reshape(item, [-1])), p = 2). Opset 13.
/// </remarks>
public static class LookupTowerOnnx
{
    /// <summary>Name of the graph's input.</summary>
    public const string InputName = "item";

    /// <summary>Name of the graph's output.</summary>
    public const string OutputName = "embedding";

    private const int Opset = 13;

    /// <summary>The serialized ONNX model of a tower whose rows are <paramref name="table"/> (row i = item i).</summary>
    public static byte[] Build(EmbeddingMatrix table, string producer = "HierRetrieval.MLNet")
    {
        var graph = new GraphProto { Name = "lookup_tower" };
        graph.Initializer.Add(FloatTensor("table", [table.Rows, table.Dimension], table.Values));
        graph.Initializer.Add(new TensorProto { Name = "flat", DataType = (int)TensorProto.Types.DataType.Int64, Dims = { 1 }, Int64Data = { -1 } });
        graph.Input.Add(Value(InputName, TensorProto.Types.DataType.Int64, Dimension("batch"), Dimension(1)));
        graph.Output.Add(Value(OutputName, TensorProto.Types.DataType.Float, Dimension("batch"), Dimension(table.Dimension)));
        graph.Node.Add(Node("Reshape", [InputName, "flat"], "ids"));
        graph.Node.Add(Node("Gather", ["table", "ids"], "rows", new AttributeProto { Name = "axis", Type = AttributeProto.Types.AttributeType.Int, I = 0 }));
        graph.Node.Add(Node("LpNormalization", ["rows"], OutputName,
            new AttributeProto { Name = "axis", Type = AttributeProto.Types.AttributeType.Int, I = 1 },
            new AttributeProto { Name = "p", Type = AttributeProto.Types.AttributeType.Int, I = 2 }));
        var model = new ModelProto
        {
            IrVersion = 8,
            ProducerName = producer,
            Graph = graph,
            OpsetImport = { new OperatorSetIdProto { Domain = "", Version = Opset } },
        };
        return model.ToByteArray();
    }

    private static TensorProto FloatTensor(string name, long[] shape, ReadOnlySpan<float> values) => new()
    {
        Name = name,
        DataType = (int)TensorProto.Types.DataType.Float,
        Dims = { shape },
        RawData = ByteString.CopyFrom(MemoryMarshal.AsBytes(values)),
    };

    private static NodeProto Node(string op, string[] inputs, string output, params AttributeProto[] attributes)
    {
        var node = new NodeProto { OpType = op, Name = output, Output = { output } };
        node.Input.Add(inputs);
        node.Attribute.Add(attributes);
        return node;
    }

    private static TensorShapeProto.Types.Dimension Dimension(string name) => new() { DimParam = name };

    private static TensorShapeProto.Types.Dimension Dimension(long size) => new() { DimValue = size };

    private static ValueInfoProto Value(string name, TensorProto.Types.DataType type, params TensorShapeProto.Types.Dimension[] dims) => new()
    {
        Name = name,
        Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = (int)type, Shape = new TensorShapeProto { Dim = { dims } } } },
    };
}
