using Onnx;
using static HierRetrieval.Export.Onnx.OnnxGraph;

namespace HierRetrieval.Export.Onnx;

/// <summary>
/// The trained weights of a head over a sentence encoder: an optional hidden layer [input, hidden] + [hidden] with ReLU,
/// then the output layer [hidden or input, d] + [d].
/// </summary>
/// <param name="InputDimension">Length of the sentence embeddings the head reads.</param>
/// <param name="HiddenSize">Width of the hidden layer; 0 for none (one linear map).</param>
/// <param name="Dimension">Length of the head's embeddings.</param>
/// <param name="HiddenWeight">The hidden layer's weight, row-major [input, hidden]; empty without one.</param>
/// <param name="HiddenBias">The hidden layer's bias; empty without one.</param>
/// <param name="OutputWeight">The output layer's weight, row-major [hidden or input, d].</param>
/// <param name="OutputBias">The output layer's bias.</param>
public sealed record BackboneHeadWeights(int InputDimension, int HiddenSize, int Dimension, float[] HiddenWeight, float[] HiddenBias, float[] OutputWeight, float[] OutputBias)
{
    /// <summary>Checks that every array has the size its shape says.</summary>
    /// <exception cref="ArgumentException">A size differs.</exception>
    public void Validate()
    {
        int width = HiddenSize > 0 ? HiddenSize : InputDimension;
        if (InputDimension < 1 || HiddenSize < 0 || Dimension < 1 || HiddenWeight.Length != (long)InputDimension * HiddenSize || HiddenBias.Length != HiddenSize
            || OutputWeight.Length != (long)width * Dimension || OutputBias.Length != Dimension)
        {
            throw new ArgumentException($"backbone head weights do not match input={InputDimension}, hidden={HiddenSize}, d={Dimension}");
        }
    }
}

/// <summary>
/// Builds the ONNX graph of a head over a sentence encoder: sentence embeddings in, unit-norm embeddings out —
/// LpNormalization(Relu(x · W1 + b1) · W2 + b2), or LpNormalization(x · W + b) without a hidden layer, the function
/// the TorchSharp head trains. Opset 13.
/// </summary>
public static class BackboneHeadOnnx
{
    /// <summary>Name of the graph's input of sentence embeddings, float [batch, input].</summary>
    public const string InputName = SentenceEncoderOnnx.EmbeddingName;

    /// <summary>Prefix of the head's initializer names.</summary>
    internal const string Prefix = "head.";

    /// <summary>The serialized head alone.</summary>
    /// <exception cref="ArgumentException">The weights are inconsistent.</exception>
    public static byte[] Build(BackboneHeadWeights weights, OnnxExportOptions? options = null)
    {
        options ??= new OnnxExportOptions();
        return Serialize(Graph("backbone_head", weights, options), options);
    }

    /// <summary>Adds the weights as initializers named <paramref name="prefix"/> + hidden.weight, hidden.bias (with a hidden layer), output.weight, output.bias.</summary>
    internal static void AddWeights(GraphProto graph, BackboneHeadWeights weights, string prefix)
    {
        weights.Validate();
        if (weights.HiddenSize > 0)
        {
            graph.Initializer.Add(FloatTensor(prefix + "hidden.weight", [weights.InputDimension, weights.HiddenSize], weights.HiddenWeight));
            graph.Initializer.Add(FloatTensor(prefix + "hidden.bias", [weights.HiddenSize], weights.HiddenBias));
        }

        graph.Initializer.Add(FloatTensor(prefix + "output.weight", [weights.HiddenSize > 0 ? weights.HiddenSize : weights.InputDimension, weights.Dimension], weights.OutputWeight));
        graph.Initializer.Add(FloatTensor(prefix + "output.bias", [weights.Dimension], weights.OutputBias));
    }

    /// <summary>A graph named <paramref name="name"/> with the head's input, its output and its nodes, for other graphs to extend.</summary>
    internal static GraphProto Graph(string name, BackboneHeadWeights weights, OnnxExportOptions options)
    {
        var graph = new GraphProto { Name = name };
        graph.Input.Add(Value(InputName, TensorProto.Types.DataType.Float, Dimension("batch"), Dimension(weights.InputDimension)));
        graph.Output.Add(Value(options.EmbeddingName, TensorProto.Types.DataType.Float, Dimension("batch"), Dimension(weights.Dimension)));
        string Local(string name) => $"{Prefix}{name}";
        AddWeights(graph, weights, Prefix);
        string x = InputName;
        if (weights.HiddenSize > 0)
        {
            graph.Node.Add(Node("MatMul", [x, Local("hidden.weight")], Local("hidden.product")));
            graph.Node.Add(Node("Add", [Local("hidden.product"), Local("hidden.bias")], Local("hidden.linear")));
            graph.Node.Add(Node("Relu", [Local("hidden.linear")], Local("hidden")));
            x = Local("hidden");
        }

        graph.Node.Add(Node("MatMul", [x, Local("output.weight")], Local("output.product")));
        graph.Node.Add(Node("Add", [Local("output.product"), Local("output.bias")], Local("output")));
        graph.Node.Add(Node("LpNormalization", [Local("output")], options.EmbeddingName, IntAttribute("axis", 1), IntAttribute("p", 2)));
        return graph;
    }
}
