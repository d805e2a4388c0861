using Onnx;
using static HierRetrieval.Export.Onnx.OnnxGraph;

namespace HierRetrieval.Export.Onnx;

/// <summary>The trained weights of a text tower: feature embeddings [F, h], hidden layer [h, h] + [h], output layer [h, d] + [d].</summary>
public sealed record TextTowerWeights(float[] Features, float[] HiddenWeight, float[] HiddenBias, float[] OutputWeight, float[] OutputBias, int FeatureCount, int HiddenSize, int Dimension)
{
    /// <summary>Checks that every array has the size its shape says.</summary>
    /// <exception cref="ArgumentException">A size differs.</exception>
    public void Validate()
    {
        if (Features.Length != (long)FeatureCount * HiddenSize || HiddenWeight.Length != HiddenSize * HiddenSize || HiddenBias.Length != HiddenSize
            || OutputWeight.Length != HiddenSize * Dimension || OutputBias.Length != Dimension)
        {
            throw new ArgumentException($"text tower weights do not match F={FeatureCount}, h={HiddenSize}, d={Dimension}");
        }
    }
}

/// <summary>
/// Builds the ONNX graph of a text tower: feature counts in, unit-norm embeddings out.
/// </summary>
/// <remarks>
/// Input (<see cref="FeaturesName"/>): float [batch, F], the counts of each feature (ML.NET's n-gram bag). Output
/// (<see cref="OnnxExportOptions.EmbeddingName"/>): LpNormalization(Relu(mean · W1 + b1) · W2 + b2) with
/// mean = counts · E / max(Σ counts, 1) — the function the TorchSharp tower trains. Opset 13.
/// </remarks>
public static class TextTowerOnnx
{
    /// <summary>Name of the graph's input of feature counts.</summary>
    public const string FeaturesName = "hierret.features";

    /// <summary>Prefix of the tower's initializer names.</summary>
    internal const string Prefix = "text.";

    /// <summary>Adds the weights as initializers named <paramref name="prefix"/> + features, hidden.weight, hidden.bias, output.weight, output.bias.</summary>
    internal static void AddWeights(GraphProto graph, TextTowerWeights weights, string prefix)
    {
        graph.Initializer.Add(FloatTensor(prefix + "features", [weights.FeatureCount, weights.HiddenSize], weights.Features));
        graph.Initializer.Add(FloatTensor(prefix + "hidden.weight", [weights.HiddenSize, weights.HiddenSize], weights.HiddenWeight));
        graph.Initializer.Add(FloatTensor(prefix + "hidden.bias", [weights.HiddenSize], weights.HiddenBias));
        graph.Initializer.Add(FloatTensor(prefix + "output.weight", [weights.HiddenSize, weights.Dimension], weights.OutputWeight));
        graph.Initializer.Add(FloatTensor(prefix + "output.bias", [weights.Dimension], weights.OutputBias));
    }

    /// <summary>The serialized model.</summary>
    /// <exception cref="ArgumentException">The weights are inconsistent.</exception>
    public static byte[] Build(TextTowerWeights weights, OnnxExportOptions? options = null)
    {
        options ??= new OnnxExportOptions();
        return Serialize(Graph("text_tower", weights, options), options);
    }

    /// <summary>A graph named <paramref name="name"/> with the tower's input, its output and its nodes, for other graphs to extend.</summary>
    internal static GraphProto Graph(string name, TextTowerWeights weights, OnnxExportOptions options)
    {
        weights.Validate();
        var graph = new GraphProto { Name = name };
        graph.Input.Add(Value(FeaturesName, TensorProto.Types.DataType.Float, Dimension("batch"), Dimension(weights.FeatureCount)));
        graph.Output.Add(Value(options.EmbeddingName, TensorProto.Types.DataType.Float, Dimension("batch"), Dimension(weights.Dimension)));
        string Local(string name) => $"{Prefix}{name}";
        AddWeights(graph, weights, Prefix);
        graph.Initializer.Add(Int64Tensor(Local("axis"), 1));
        graph.Initializer.Add(FloatTensor(Local("one"), [1], [1f]));
        graph.Node.Add(Node("ReduceSum", [FeaturesName, Local("axis")], Local("count"), IntAttribute("keepdims", 1)));
        graph.Node.Add(Node("Max", [Local("count"), Local("one")], Local("safe_count")));
        graph.Node.Add(Node("MatMul", [FeaturesName, Local("features")], Local("sum")));
        graph.Node.Add(Node("Div", [Local("sum"), Local("safe_count")], Local("mean")));
        graph.Node.Add(Node("MatMul", [Local("mean"), Local("hidden.weight")], Local("hidden.product")));
        graph.Node.Add(Node("Add", [Local("hidden.product"), Local("hidden.bias")], Local("hidden.linear")));
        graph.Node.Add(Node("Relu", [Local("hidden.linear")], Local("hidden")));
        graph.Node.Add(Node("MatMul", [Local("hidden"), Local("output.weight")], Local("output.product")));
        graph.Node.Add(Node("Add", [Local("output.product"), Local("output.bias")], Local("output")));
        graph.Node.Add(Node("LpNormalization", [Local("output")], options.EmbeddingName, IntAttribute("axis", 1), IntAttribute("p", 2)));
        return graph;
    }
}
