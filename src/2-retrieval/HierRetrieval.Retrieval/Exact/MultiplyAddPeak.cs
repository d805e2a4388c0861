using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using HierRetrieval.Retrieval.Internal;

namespace HierRetrieval.Retrieval.Exact;

/// <summary>
/// Estimates the machine's peak float32 multiply-add rate with the vector width the exact index uses: each
/// thread runs twelve independent chains of fused multiply-adds (enough to hide FMA latency), so the
/// measured rate bounds what any float32 matrix product on these cores can reach.
/// </summary>
public static class MultiplyAddPeak
{
    /// <summary>Peak GFLOP/s (a multiply-add counts as two operations) on <paramref name="threads"/> threads.</summary>
    public static double EstimateGigaflops(int threads, TimeSpan duration)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(threads, 1);
        long iterations = 1 << 20;
        var clock = Stopwatch.StartNew();
        Chains(iterations / 16);
        while (clock.Elapsed < duration / 20)
        {
            Chains(iterations);
            iterations *= 2;
        }

        long rounds = (long)(iterations * (duration / (clock.Elapsed * 2 + TimeSpan.FromMilliseconds(1))));
        rounds = Math.Max(rounds, 1 << 16);
        clock.Restart();
        Parallel.For(0, threads, new ParallelOptions { MaxDegreeOfParallelism = threads }, _ => Chains(rounds));
        double seconds = clock.Elapsed.TotalSeconds;
        return 2.0 * 12 * ScoreKernel.VectorWidth * rounds * threads / seconds / 1e9;
    }

    private static float Chains(long rounds) => ScoreKernel.UsesVector512
        ? Chains<Vector512Ops, Vector512<float>>(rounds)
        : Chains<Vector256Ops, Vector256<float>>(rounds);

    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private static float Chains<TOps, TVector>(long rounds)
        where TOps : struct, IVectorOps<TVector>
        where TVector : struct
    {
        TVector a = TOps.Broadcast(0.999999f), b = TOps.Broadcast(1e-7f);
        TVector c0 = TOps.Zero, c1 = TOps.Zero, c2 = TOps.Zero, c3 = TOps.Zero, c4 = TOps.Zero, c5 = TOps.Zero;
        TVector c6 = TOps.Zero, c7 = TOps.Zero, c8 = TOps.Zero, c9 = TOps.Zero, c10 = TOps.Zero, c11 = TOps.Zero;
        for (long i = 0; i < rounds; i++)
        {
            c0 = TOps.MultiplyAdd(c0, a, b);
            c1 = TOps.MultiplyAdd(c1, a, b);
            c2 = TOps.MultiplyAdd(c2, a, b);
            c3 = TOps.MultiplyAdd(c3, a, b);
            c4 = TOps.MultiplyAdd(c4, a, b);
            c5 = TOps.MultiplyAdd(c5, a, b);
            c6 = TOps.MultiplyAdd(c6, a, b);
            c7 = TOps.MultiplyAdd(c7, a, b);
            c8 = TOps.MultiplyAdd(c8, a, b);
            c9 = TOps.MultiplyAdd(c9, a, b);
            c10 = TOps.MultiplyAdd(c10, a, b);
            c11 = TOps.MultiplyAdd(c11, a, b);
        }

        var sum = TOps.Max(TOps.Max(TOps.Max(c0, c1), TOps.Max(c2, c3)), TOps.Max(TOps.Max(c4, c5), TOps.Max(c6, c7)));
        return TOps.MaxAcross(TOps.Max(sum, TOps.Max(TOps.Max(c8, c9), TOps.Max(c10, c11))));
    }
}
