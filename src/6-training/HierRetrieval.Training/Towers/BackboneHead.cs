using TorchSharp;
using static TorchSharp.torch;

namespace HierRetrieval.Training.Towers;

/// <summary>The trainable head over a sentence encoder's embedding: W2 · relu(W1 · x + b1) + b2, or W · x + b with no hidden layer.</summary>
internal static class BackboneHead
{
    /// <summary>The head's parameters, seeded: He-scaled hidden weights, zero biases.</summary>
    /// <param name="input">Length of the encoder's embeddings.</param>
    /// <param name="hidden">Width of the hidden layer; 0 for none.</param>
    /// <param name="dimension">Length of the head's output.</param>
    /// <param name="init">A seeded normal tensor of a shape and standard deviation, on the tower's device.</param>
    /// <param name="device">The tower's device.</param>
    public static List<(string Name, Tensor Value)> Create(int input, int hidden, int dimension, Func<long[], double, Tensor> init, Device device)
    {
        var parameters = new List<(string, Tensor)>();
        int width = hidden > 0 ? hidden : input;
        if (hidden > 0)
        {
            parameters.Add(("hidden.weight", init([input, width], Math.Sqrt(2.0 / input))));
            parameters.Add(("hidden.bias", zeros(width, device: device)));
        }

        parameters.Add(("output.weight", init([width, dimension], Math.Sqrt(1.0 / width))));
        parameters.Add(("output.bias", zeros(dimension, device: device)));
        return parameters;
    }

    /// <summary>Parameters a head holds.</summary>
    public static int Count(bool hasHidden) => hasHidden ? 4 : 2;

    /// <summary>The head's output (not normalised) for <paramref name="inputs"/>, reading its parameters from <paramref name="first"/> on.</summary>
    public static Tensor Apply(Tensor inputs, DenseParameters parameters, int first, bool hasHidden)
    {
        // Scalars are created and disposed explicitly (no operator +): a temporary Scalar can be finalised while libtorch still reads it.
        using Scalar one = 1.0.ToScalar();
        int at = first;
        using var hidden = hasHidden ? nn.functional.relu(inputs.matmul(parameters[at++]).add(parameters[at++], one)) : inputs.alias();
        return hidden.matmul(parameters[at++]).add(parameters[at], one);
    }
}
