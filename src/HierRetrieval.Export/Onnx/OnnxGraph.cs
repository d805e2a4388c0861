using System.Runtime.InteropServices;
using Google.Protobuf;
using HierRetrieval.Retrieval;
using Onnx;

namespace HierRetrieval.Export.Onnx;

/// <summary>Small helpers over OnnxSharp's generated protobuf classes for the graphs this project builds.</summary>
internal static class OnnxGraph
{
    /// <summary>The opset every graph imports.</summary>
    public const int Opset = 13;

    /// <summary>Adds a lookup tower: <paramref name="input"/> int64 [batch, 1] to unit-norm float [batch, dim] named <paramref name="output"/>.</summary>
    public static void AddLookupTower(GraphProto graph, EmbeddingMatrix table, string input, string output)
    {
        graph.Initializer.Add(FloatTensor($"{output}.table", [table.Rows, table.Dimension], table.Values));
        graph.Initializer.Add(new TensorProto { Name = $"{output}.flat", DataType = (int)TensorProto.Types.DataType.Int64, Dims = { 1 }, Int64Data = { -1 } });
        graph.Node.Add(Node("Reshape", [input, $"{output}.flat"], $"{output}.ids"));
        graph.Node.Add(Node("Gather", [$"{output}.table", $"{output}.ids"], $"{output}.rows", IntAttribute("axis", 0)));
        graph.Node.Add(Node("LpNormalization", [$"{output}.rows"], output, IntAttribute("axis", 1), IntAttribute("p", 2)));
    }

    /// <summary>A model around <paramref name="graph"/>, serialized.</summary>
    public static byte[] Serialize(GraphProto graph, string producer) => new ModelProto
    {
        IrVersion = 8,
        ProducerName = producer,
        Graph = graph,
        OpsetImport = { new OperatorSetIdProto { Domain = "", Version = Opset } },
    }.ToByteArray();

    public static TensorProto FloatTensor(string name, long[] shape, ReadOnlySpan<float> values) => new()
    {
        Name = name,
        DataType = (int)TensorProto.Types.DataType.Float,
        Dims = { shape },
        RawData = ByteString.CopyFrom(MemoryMarshal.AsBytes(values)),
    };

    public static NodeProto Node(string op, string[] inputs, string output, params AttributeProto[] attributes) =>
        Node(op, inputs, [output], attributes);

    public static NodeProto Node(string op, string[] inputs, string[] outputs, params AttributeProto[] attributes)
    {
        var node = new NodeProto { OpType = op, Name = outputs[0] };
        node.Input.Add(inputs);
        node.Output.Add(outputs);
        node.Attribute.Add(attributes);
        return node;
    }

    public static AttributeProto IntAttribute(string name, long value) => new() { Name = name, Type = AttributeProto.Types.AttributeType.Int, I = value };

    public static TensorShapeProto.Types.Dimension Dimension(string name) => new() { DimParam = name };

    public static TensorShapeProto.Types.Dimension Dimension(long size) => new() { DimValue = size };

    public static ValueInfoProto Value(string name, TensorProto.Types.DataType type, params TensorShapeProto.Types.Dimension[] dims) => new()
    {
        Name = name,
        Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = (int)type, Shape = new TensorShapeProto { Dim = { dims } } } },
    };
}
