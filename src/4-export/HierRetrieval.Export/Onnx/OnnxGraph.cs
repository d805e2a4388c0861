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

    /// <summary>
    /// Adds a lookup tower: the item input, int64 [batch, 1], to the unit-norm float [batch, dim] embedding output.
    /// Ids outside [FirstId, FirstId + rows) never reach Gather: they are replaced by row 0 and their output row is
    /// set to zeros (a zero embedding scores 0 against every document).
    /// </summary>
    public static void AddLookupTower(GraphProto graph, EmbeddingMatrix table, OnnxExportOptions options)
    {
        string output = options.EmbeddingName;
        string Local(string name) => $"{output}.{name}";
        graph.Initializer.Add(FloatTensor(TableName(options), [table.Rows, table.Dimension], table.Values));
        graph.Initializer.Add(Int64Tensor(Local("flat"), -1));
        graph.Initializer.Add(Int64Tensor(Local("first_id"), options.FirstId));
        graph.Initializer.Add(Int64Tensor(Local("first"), 0));
        graph.Initializer.Add(Int64Tensor(Local("rows_count"), table.Rows));
        graph.Initializer.Add(Int64Tensor(Local("column"), 1));
        graph.Initializer.Add(FloatTensor(Local("zero"), [1], [0f]));
        graph.Node.Add(Node("Reshape", [options.ItemName, Local("flat")], Local("item_ids")));
        graph.Node.Add(Node("Sub", [Local("item_ids"), Local("first_id")], Local("ids")));
        graph.Node.Add(Node("GreaterOrEqual", [Local("ids"), Local("first")], Local("not_negative")));
        graph.Node.Add(Node("Less", [Local("ids"), Local("rows_count")], Local("below_rows")));
        graph.Node.Add(Node("And", [Local("not_negative"), Local("below_rows")], Local("known")));
        graph.Node.Add(Node("Where", [Local("known"), Local("ids"), Local("first")], Local("safe_ids")));
        graph.Node.Add(Node("Gather", [Local("table"), Local("safe_ids")], Local("rows"), IntAttribute("axis", 0)));
        graph.Node.Add(Node("LpNormalization", [Local("rows")], Local("normalized"), IntAttribute("axis", 1), IntAttribute("p", 2)));
        graph.Node.Add(Node("Unsqueeze", [Local("known"), Local("column")], Local("known_rows")));
        graph.Node.Add(Node("Where", [Local("known_rows"), Local("normalized"), Local("zero")], output));
    }

    /// <summary>The name of a lookup tower's table initializer, [rows, dim].</summary>
    public static string TableName(OnnxExportOptions options) => $"{options.EmbeddingName}.table";

    public static TensorProto Int64Tensor(string name, long value) =>
        new() { Name = name, DataType = (int)TensorProto.Types.DataType.Int64, Dims = { 1 }, Int64Data = { value } };

    /// <summary>A model around <paramref name="graph"/>, serialized.</summary>
    public static byte[] Serialize(GraphProto graph, OnnxExportOptions options)
    {
        var model = new ModelProto
        {
            IrVersion = 8,
            ProducerName = options.Producer,
            Graph = graph,
            OpsetImport = { new OperatorSetIdProto { Domain = "", Version = Opset } },
        };
        model.MetadataProps.Add(options.Metadata.Select(entry => new StringStringEntryProto { Key = entry.Key, Value = entry.Value }));
        return model.ToByteArray();
    }

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
