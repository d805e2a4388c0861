namespace HierRetrieval.Data.Pairs;

/// <summary>
/// Random generators that depend only on (seed, stream, index): batch n of a stage is the same whether the run
/// got there directly or resumed from a checkpoint, with no generator state to save.
/// </summary>
public static class StepRandom
{
    /// <summary>A generator for item <paramref name="index"/> of <paramref name="stream"/>.</summary>
    public static Random For(long seed, long stream, long index) =>
        new(unchecked((int)Mix(Mix(Mix((ulong)seed) ^ (ulong)stream) ^ (ulong)index)));

    // SplitMix64's finaliser: consecutive inputs give unrelated outputs.
    private static ulong Mix(ulong x)
    {
        x += 0x9E3779B97F4A7C15UL;
        x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9UL;
        x = (x ^ (x >> 27)) * 0x94D049BB133111EBUL;
        return x ^ (x >> 31);
    }
}
