using Google.Protobuf;
using Onnx;
using static HierRetrieval.Export.Onnx.OnnxGraph;

namespace HierRetrieval.Export.Onnx;

/// <summary>
/// Turns a BERT-style sentence encoder's graph into one that pools: token ids and attention mask in, unit-norm
/// sentence embeddings out. The same graph serves batched encoding and a model zip's per-row path.
/// </summary>
/// <remarks>
/// Inputs <see cref="InputIdsName"/> and <see cref="AttentionMaskName"/>, int64 [batch, tokens] (padding has mask 0);
/// token type ids, when the encoder reads them, are zeros made inside the graph. Output <see cref="EmbeddingName"/>,
/// float [batch, dimension]: the mean of the unpadded token states, or the [CLS] state, L2-normalised.
/// </remarks>
public static class SentenceEncoderOnnx
{
    /// <summary>Graph input: WordPiece ids, int64 [batch, tokens], [CLS] first, padded with 0.</summary>
    public const string InputIdsName = "hierret.input_ids";

    /// <summary>Graph input: 1 for a real token, 0 for padding, int64 [batch, tokens].</summary>
    public const string AttentionMaskName = "hierret.attention_mask";

    /// <summary>Graph output: unit-norm sentence embeddings, float [batch, dimension].</summary>
    public const string EmbeddingName = "hierret.sentence";

    private const string EncoderIds = "input_ids";
    private const string EncoderMask = "attention_mask";
    private const string EncoderTypes = "token_type_ids";

    /// <summary>The pooled graph of <paramref name="encoder"/>, with <paramref name="metadata"/> (and the kind <see cref="OnnxModelMetadata.SentenceEncoderKind"/>) recorded.</summary>
    /// <exception cref="InvalidDataException">The bytes are not an ONNX model, lack the int64 inputs input_ids and attention_mask, or the first output is not float token states [batch, tokens, dimension]; the message names <paramref name="source"/>.</exception>
    public static byte[] Pooled(byte[] encoder, BackbonePooling pooling, IReadOnlyDictionary<string, string> metadata, string source)
    {
        ModelProto model;
        try
        {
            model = ModelProto.Parser.ParseFrom(encoder);
        }
        catch (InvalidProtocolBufferException e)
        {
            throw new InvalidDataException($"{source}: not an ONNX model ({e.Message})", e);
        }

        var graph = model.Graph ?? throw new InvalidDataException($"{source}: not an ONNX model (no graph)");
        var states = graph.Output.FirstOrDefault();
        var stateShape = states?.Type?.TensorType?.Shape?.Dim;
        if (states is null || states.Type.TensorType.ElemType != (int)TensorProto.Types.DataType.Float || stateShape is not { Count: 3 })
        {
            throw new InvalidDataException($"{source}: the graph's first output must be float token states [batch, tokens, dimension]");
        }

        long dimension = stateShape[2].DimValue > 0 ? stateShape[2].DimValue : StateDimension(graph, states.Name, source);
        var prologue = new List<NodeProto>
        {
            Node("Identity", [InputIdsName], Rename(graph, EncoderIds, source)),
            Node("Identity", [AttentionMaskName], Rename(graph, EncoderMask, source)),
        };
        if (graph.Input.FirstOrDefault(i => i.Name == EncoderTypes) is { } types)
        {
            graph.Input.Remove(types);
            prologue.Add(Node("Shape", [InputIdsName], "hierret.token_shape"));
            prologue.Add(Node("ConstantOfShape", ["hierret.token_shape"], EncoderTypes, new AttributeProto
            {
                Name = "value", Type = AttributeProto.Types.AttributeType.Tensor, T = Int64Tensor("hierret.zero", 0),
            }));
        }

        graph.Input.Add(Value(InputIdsName, TensorProto.Types.DataType.Int64, Dimension("batch"), Dimension("tokens")));
        graph.Input.Add(Value(AttentionMaskName, TensorProto.Types.DataType.Int64, Dimension("batch"), Dimension("tokens")));
        for (int i = prologue.Count - 1; i >= 0; i--)
        {
            graph.Node.Insert(0, prologue[i]);
        }

        string pooled = pooling == BackbonePooling.Mean ? MeanPool(graph, states.Name) : ClsPool(graph, states.Name);
        graph.Node.Add(Node("LpNormalization", [pooled], EmbeddingName, IntAttribute("axis", 1), IntAttribute("p", 2)));
        graph.Output.Clear();
        graph.Output.Add(Value(EmbeddingName, TensorProto.Types.DataType.Float, Dimension("batch"), Dimension(dimension)));
        model.MetadataProps.Clear();
        model.MetadataProps.Add(new StringStringEntryProto { Key = OnnxModelMetadata.KindKey, Value = OnnxModelMetadata.SentenceEncoderKind });
        model.MetadataProps.Add(metadata.Select(entry => new StringStringEntryProto { Key = entry.Key, Value = entry.Value }));
        return model.ToByteArray();
    }

    /// <summary>
    /// The length of the token states when the graph leaves it unnamed: the length of the 1-D initializer (a layer
    /// norm's scale or bias) that the node producing the states reads.
    /// </summary>
    private static long StateDimension(GraphProto graph, string states, string source)
    {
        var producer = graph.Node.FirstOrDefault(n => n.Output.Contains(states));
        var vector = producer?.Input.Select(input => graph.Initializer.FirstOrDefault(t => t.Name == input)).FirstOrDefault(t => t is { Dims.Count: 1 });
        return vector?.Dims[0] ?? throw new InvalidDataException($"{source}: the length of the token states is not declared in the graph's output shape, nor readable from the node producing them; declare it");
    }

    /// <summary>Removes the encoder's input <paramref name="name"/> (checked to be int64) and returns the name, for an Identity node to produce.</summary>
    private static string Rename(GraphProto graph, string name, string source)
    {
        var input = graph.Input.FirstOrDefault(i => i.Name == name);
        if (input is null || input.Type?.TensorType?.ElemType != (int)TensorProto.Types.DataType.Int64)
        {
            throw new InvalidDataException($"{source}: the graph needs an int64 input '{name}' (a BERT-style sentence encoder)");
        }

        graph.Input.Remove(input);
        return name;
    }

    /// <summary>
    /// Σ_t mask[b, t] · states[b, t, :] (the mean up to a factor that normalisation removes), as [b, 1, t] · [b, t, d]
    /// flattened to [b, d]; only operators of opset 11 and earlier, which every encoder imports.
    /// </summary>
    private static string MeanPool(GraphProto graph, string states)
    {
        graph.Initializer.Add(new TensorProto { Name = "hierret.row_shape", DataType = (int)TensorProto.Types.DataType.Int64, Dims = { 3 }, Int64Data = { 0, 1, -1 } });
        graph.Node.Add(Node("Cast", [AttentionMaskName], "hierret.mask", IntAttribute("to", (long)TensorProto.Types.DataType.Float)));
        graph.Node.Add(Node("Reshape", ["hierret.mask", "hierret.row_shape"], "hierret.mask_row"));
        graph.Node.Add(Node("MatMul", ["hierret.mask_row", states], "hierret.sum"));
        graph.Node.Add(Node("Flatten", ["hierret.sum"], "hierret.pooled", IntAttribute("axis", 1)));
        return "hierret.pooled";
    }

    /// <summary>states[b, 0, :].</summary>
    private static string ClsPool(GraphProto graph, string states)
    {
        graph.Initializer.Add(new TensorProto { Name = "hierret.first", DataType = (int)TensorProto.Types.DataType.Int64, Int64Data = { 0 } });
        graph.Node.Add(Node("Gather", [states, "hierret.first"], "hierret.pooled", IntAttribute("axis", 1)));
        return "hierret.pooled";
    }
}
