using System.Diagnostics;

namespace HierRetrieval.Studies.Benchmarks;

/// <summary>The timer of every throughput benchmark: one warm-up run, then the fastest of several.</summary>
public static class BestOfRepeats
{
    /// <summary>Runs <paramref name="run"/> once to warm up, then <paramref name="repeats"/> times, and returns the fastest time in seconds.</summary>
    public static double Seconds(int repeats, Action run)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(repeats, 1);
        run();
        double best = double.MaxValue;
        for (int i = 0; i < repeats; i++)
        {
            var clock = Stopwatch.StartNew();
            run();
            best = Math.Min(best, clock.Elapsed.TotalSeconds);
        }

        return best;
    }
}
