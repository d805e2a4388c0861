using System.Runtime.InteropServices;
using static TorchSharp.torch;

namespace HierRetrieval.Training.Towers;

/// <summary>Copies float rows from managed memory into a CPU tensor without a managed intermediate.</summary>
internal static class HostTensor
{
    /// <summary>
    /// A new CPU tensor of <paramref name="shape"/> holding a copy of <paramref name="values"/>. Unlike
    /// <c>tensor(values.ToArray(), shape)</c>, which copies to a new array and then clones it into pinned managed memory,
    /// nothing is allocated on the managed heap.
    /// </summary>
    public static Tensor Copy(ReadOnlySpan<float> values, long[] shape)
    {
        var result = empty(shape, ScalarType.Float32);
        values.CopyTo(MemoryMarshal.Cast<byte, float>(result.bytes));
        return result;
    }
}
