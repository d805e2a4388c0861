using TorchSharp;
using static TorchSharp.torch;

namespace HierRetrieval.Training.Towers;

/// <summary>Initial values of tower parameters.</summary>
internal static class Initialization
{
    /// <summary>
    /// N(0, <paramref name="std"/>²) values from <paramref name="generator"/>, on the CPU. The same values as
    /// <c>torch.normal(0, std, ...)</c>, which passes temporary Scalars to libtorch that can be finalised while it
    /// still reads them; here the Scalar is held until the call returns.
    /// </summary>
    public static Tensor Normal(long[] shape, double std, Generator generator)
    {
        using Scalar scale = std.ToScalar();
        return randn(shape, generator: generator).mul_(scale);
    }
}
