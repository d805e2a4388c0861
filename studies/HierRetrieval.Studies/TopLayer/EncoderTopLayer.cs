using System.Numerics.Tensors;
using System.Runtime.InteropServices;
using System.Text.RegularExpressions;
using HierRetrieval.Runtime.Text.Backbones;
using HierRetrieval.Training.Towers;
using Microsoft.ML.OnnxRuntime;
using Onnx;

namespace HierRetrieval.Studies.TopLayer;

/// <summary>
/// Splits a BERT-style sentence encoder's graph (as Hugging Face exports it: biases and layer norms named
/// <c>encoder.layer.N.*</c>, each linear map a MatMul then an Add of its named bias) at its top layer: the layer's
/// weights, to be tuned in TorchSharp, and the token states entering it, computed once with ONNX Runtime.
/// </summary>
public static partial class EncoderTopLayer
{
    private const double LayerNormEpsilon = 1e-12;
    private static readonly string[] Linear = ["attention.self.query", "attention.self.key", "attention.self.value", "attention.output.dense", "intermediate.dense", "output.dense"];

    /// <summary>
    /// <paramref name="model"/>'s top layer: its weights, and the token states entering it for each text (the texts
    /// tokenised as <see cref="SentenceEncoder"/> does, encoded in batches of similar length).
    /// </summary>
    /// <param name="model">The encoder.</param>
    /// <param name="texts">The texts; none may be empty.</param>
    /// <param name="threads">ONNX Runtime threads.</param>
    /// <param name="progress">Texts done so far, of how many.</param>
    /// <param name="cancellationToken">Stops between batches.</param>
    /// <exception cref="InvalidDataException">The graph is not laid out as a Hugging Face BERT export; the message names the model and what is missing.</exception>
    public static (EncoderLayerWeights Layer, TokenStates States) Split(
        SentenceEncoderModel model, IReadOnlyList<string> texts, int threads, IProgress<(long Done, long Total)>? progress = null, CancellationToken cancellationToken = default)
    {
        var proto = ModelProto.Parser.ParseFrom(model.OnnxModel);
        var top = Locate(proto.Graph, model.Name);
        var layer = Weights(proto.Graph, top, model.Name);
        return (layer, StatesBelow(model, Below(proto, top, layer.Hidden), top.Input, texts, threads, progress, cancellationToken));
    }

    private static EncoderLayerWeights Weights(GraphProto graph, TopLayer top, string source)
    {
        var initializers = graph.Initializer.ToDictionary(i => i.Name);
        var values = new Dictionary<string, float[]>();
        foreach (string name in Linear)
        {
            values[name + ".weight"] = Floats(initializers[top.WeightOf[name]]);
            values[name + ".bias"] = Floats(initializers[$"{top.Prefix}{name}.bias"]);
        }

        foreach (string norm in new[] { "attention.output.LayerNorm", "output.LayerNorm" })
        {
            foreach (string part in new[] { ".weight", ".bias" })
            {
                values[norm + part] = initializers.TryGetValue(top.Prefix + norm + part, out var tensor)
                    ? Floats(tensor)
                    : throw new InvalidDataException($"{source}: no initializer {top.Prefix}{norm}{part}");
            }
        }

        int hidden = values["attention.self.query.bias"].Length;
        return new EncoderLayerWeights(hidden, top.Heads, values["intermediate.dense.bias"].Length, LayerNormEpsilon, values);
    }

    private static TokenStates StatesBelow(
        SentenceEncoderModel model, byte[] below, string output, IReadOnlyList<string> texts, int threads, IProgress<(long Done, long Total)>? progress, CancellationToken cancellationToken)
    {
        const int batchSize = 128;
        using var encoder = new SentenceEncoder(model, new SentenceEncoderOptions { Threads = threads });
        int[][] tokens = [.. texts.Select((text, i) => string.IsNullOrWhiteSpace(text) ? throw new ArgumentException($"text {i} is empty", nameof(texts)) : encoder.Tokenize(text))];
        using var options = new SessionOptions { IntraOpNumThreads = threads, InterOpNumThreads = 1, GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL };
        using var session = new InferenceSession(below, options);
        using var run = new RunOptions();
        bool typed = session.InputMetadata.ContainsKey("token_type_ids");
        string[] names = typed ? ["input_ids", "attention_mask", "token_type_ids"] : ["input_ids", "attention_mask"];
        int hidden = session.OutputMetadata[output].Dimensions[2];
        var states = new TokenStates(hidden, [.. tokens.Select(t => t.Length)]);
        int[] order = [.. Enumerable.Range(0, tokens.Length).OrderBy(i => tokens[i].Length)];
        for (int start = 0; start < order.Length; start += batchSize)
        {
            cancellationToken.ThrowIfCancellationRequested();
            int[] batch = order[start..Math.Min(start + batchSize, order.Length)];
            int length = tokens[batch[^1]].Length;
            var ids = new long[batch.Length * length];
            var mask = new long[batch.Length * length];
            for (int r = 0; r < batch.Length; r++)
            {
                for (int t = 0; t < tokens[batch[r]].Length; t++)
                {
                    ids[(r * length) + t] = tokens[batch[r]][t];
                    mask[(r * length) + t] = 1;
                }
            }

            long[] shape = [batch.Length, length];
            using var idsValue = OrtValue.CreateTensorValueFromMemory(ids, shape);
            using var maskValue = OrtValue.CreateTensorValueFromMemory(mask, shape);
            using var typesValue = typed ? OrtValue.CreateTensorValueFromMemory(new long[ids.Length], shape) : null;
            OrtValue[] inputs = typed ? [idsValue, maskValue, typesValue!] : [idsValue, maskValue];
            using var outputs = session.Run(run, names, inputs, [output]);
            ReadOnlySpan<float> values = outputs[0].GetTensorDataAsSpan<float>();
            for (int r = 0; r < batch.Length; r++)
            {
                var target = states.StatesOf(batch[r]);
                TensorPrimitives.ConvertToHalf(values.Slice(r * length * hidden, target.Length), target);
            }

            progress?.Report((start + batch.Length, order.Length));
        }

        return states;
    }

    /// <summary>The encoder's graph cut below its top layer: its only output is the token states entering that layer.</summary>
    private static byte[] Below(ModelProto proto, TopLayer top, int hidden)
    {
        var graph = proto.Graph;
        var needed = new HashSet<string>(StringComparer.Ordinal) { top.Input };
        var keep = new List<NodeProto>();
        foreach (var node in graph.Node.Reverse())
        {
            if (node.Output.Any(needed.Contains))
            {
                keep.Add(node);
                needed.UnionWith(node.Input);
            }
        }

        keep.Reverse();
        graph.Node.Clear();
        graph.Node.AddRange(keep);
        var unused = graph.Initializer.Where(i => !needed.Contains(i.Name)).ToList();
        foreach (var initializer in unused)
        {
            graph.Initializer.Remove(initializer);
        }

        foreach (var input in graph.Input.Where(i => !needed.Contains(i.Name)).ToList())
        {
            graph.Input.Remove(input);
        }

        graph.Output.Clear();
        graph.Output.Add(new ValueInfoProto
        {
            Name = top.Input,
            Type = new TypeProto
            {
                TensorType = new TypeProto.Types.Tensor
                {
                    ElemType = (int)TensorProto.Types.DataType.Float,
                    Shape = new TensorShapeProto { Dim = { new TensorShapeProto.Types.Dimension { DimParam = "batch" }, new TensorShapeProto.Types.Dimension { DimParam = "tokens" }, new TensorShapeProto.Types.Dimension { DimValue = hidden } } },
                },
            },
        });
        return Google.Protobuf.MessageExtensions.ToByteArray(proto);
    }

    /// <summary>Where the top layer is in the graph.</summary>
    private static TopLayer Locate(GraphProto graph, string source)
    {
        int layer = graph.Initializer.Select(i => LayerIndex().Match(i.Name)).Where(m => m.Success).Select(m => int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture)).DefaultIfEmpty(-1).Max();
        if (layer < 0)
        {
            throw new InvalidDataException($"{source}: no initializer named encoder.layer.N.*; not a Hugging Face BERT export");
        }

        string prefix = $"encoder.layer.{layer}.";
        var producer = new Dictionary<string, NodeProto>(StringComparer.Ordinal);
        foreach (var node in graph.Node)
        {
            foreach (string output in node.Output)
            {
                producer[output] = node;
            }
        }

        var weightOf = new Dictionary<string, string>(StringComparer.Ordinal);
        NodeProto? queryMatMul = null;
        NodeProto? queryAdd = null;
        foreach (string name in Linear)
        {
            string bias = $"{prefix}{name}.bias";
            var add = graph.Node.FirstOrDefault(n => n.OpType == "Add" && n.Input.Contains(bias))
                ?? throw new InvalidDataException($"{source}: no Add of {bias}");
            var matMul = add.Input.Where(i => i != bias && producer.ContainsKey(i)).Select(i => producer[i]).FirstOrDefault(n => n.OpType == "MatMul")
                ?? throw new InvalidDataException($"{source}: {bias} is not added to a MatMul");
            weightOf[name] = matMul.Input[1];
            if (name == Linear[0])
            {
                (queryMatMul, queryAdd) = (matMul, add);
            }
        }

        var reshape = graph.Node.FirstOrDefault(n => n.OpType == "Reshape" && n.Input[0] == queryAdd!.Output[0]);
        var concat = reshape is not null && producer.TryGetValue(reshape.Input[1], out var c) && c.OpType == "Concat" && c.Input.Count == 4 ? c : null;
        long heads = concat is null ? 0 : Int64Value(graph, producer, concat.Input[2]);
        if (heads < 1)
        {
            throw new InvalidDataException($"{source}: the number of attention heads of {prefix} cannot be read from its query reshape");
        }

        return new TopLayer(prefix, queryMatMul!.Input[0], (int)heads, weightOf);
    }

    private static long Int64Value(GraphProto graph, Dictionary<string, NodeProto> producer, string name)
    {
        var tensor = graph.Initializer.FirstOrDefault(i => i.Name == name)
            ?? (producer.TryGetValue(name, out var node) && node.OpType == "Constant" ? node.Attribute.FirstOrDefault(a => a.Name == "value")?.T : null);
        return tensor is null ? 0
            : tensor.Int64Data.Count > 0 ? tensor.Int64Data[0]
            : tensor.RawData.Length >= sizeof(long) ? BitConverter.ToInt64(tensor.RawData.Span) : 0;
    }

    private static float[] Floats(TensorProto tensor) =>
        tensor.FloatData.Count > 0 ? [.. tensor.FloatData] : MemoryMarshal.Cast<byte, float>(tensor.RawData.Span).ToArray();

    /// <summary>The top layer's name prefix, its input tensor, its heads and each linear map's weight initializer.</summary>
    private sealed record TopLayer(string Prefix, string Input, int Heads, Dictionary<string, string> WeightOf);

    [GeneratedRegex(@"^encoder\.layer\.(\d+)\.")]
    private static partial Regex LayerIndex();
}
