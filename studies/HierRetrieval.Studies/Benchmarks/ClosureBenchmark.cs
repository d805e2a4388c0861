using System.Diagnostics;
using HierRetrieval.Data.Hierarchies;

namespace HierRetrieval.Studies.Benchmarks;

/// <summary>Time of the transitive closure of a hierarchy.</summary>
/// <param name="Nodes">Nodes of the hierarchy.</param>
/// <param name="ClosurePairs">(node, ancestor) pairs of its closure.</param>
/// <param name="BestSeconds">The fastest run.</param>
/// <param name="MedianSeconds">The median run.</param>
/// <param name="Repeats">Timed runs.</param>
public sealed record ClosureBenchmarkResult(int Nodes, long ClosurePairs, double BestSeconds, double MedianSeconds, int Repeats);

/// <summary>Times <see cref="TransitiveClosure.Compute(Hierarchy)"/> (after one warm-up run).</summary>
public static class ClosureBenchmark
{
    /// <summary>Computes the closure of <paramref name="hierarchy"/> <paramref name="repeats"/> times.</summary>
    public static ClosureBenchmarkResult Run(Hierarchy hierarchy, int repeats)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(repeats, 1);
        TransitiveClosure.Compute(hierarchy);
        var seconds = new List<double>();
        long pairs = 0;
        for (int i = 0; i < repeats; i++)
        {
            var clock = Stopwatch.StartNew();
            pairs = TransitiveClosure.Compute(hierarchy).PairCount;
            seconds.Add(clock.Elapsed.TotalSeconds);
        }

        seconds.Sort();
        return new ClosureBenchmarkResult(hierarchy.Count, pairs, seconds[0], seconds[seconds.Count / 2], seconds.Count);
    }
}
