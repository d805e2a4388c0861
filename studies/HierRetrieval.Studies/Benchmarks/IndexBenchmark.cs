using HierRetrieval.Retrieval;
using HierRetrieval.Retrieval.Exact;

namespace HierRetrieval.Studies.Benchmarks;

/// <summary>Settings of <see cref="IndexBenchmark"/>.</summary>
public sealed record IndexBenchmarkOptions
{
    /// <summary>Documents in the index (random unit vectors).</summary>
    public int Documents { get; init; } = 82_115;

    /// <summary>Vector dimension.</summary>
    public int Dimension { get; init; } = 64;

    /// <summary>Queries per search call (one batch).</summary>
    public int Queries { get; init; } = 8192;

    /// <summary>Results per query.</summary>
    public int K { get; init; } = 10;

    /// <summary>Timed repetitions (the best is reported).</summary>
    public int Repeats { get; init; } = 3;

    /// <summary>Search threads.</summary>
    public int Threads { get; init; } = Environment.ProcessorCount;

    /// <summary>Seed of the random vectors.</summary>
    public int Seed { get; init; }
}

/// <summary>Exact top-k throughput beside the machine's multiply-add peak.</summary>
/// <param name="Seconds">Fastest time of one batch.</param>
/// <param name="QueriesPerSecond">Queries of that batch per second.</param>
/// <param name="Gflops">Multiply-adds of the scoring, in GFLOP/s.</param>
/// <param name="PeakGflops">The machine's estimated peak on the same threads.</param>
public sealed record IndexBenchmarkResult(double Seconds, double QueriesPerSecond, double Gflops, double PeakGflops)
{
    /// <summary>The fraction of peak reached.</summary>
    public double FractionOfPeak => Gflops / PeakGflops;
}

/// <summary>Times batched exact top-k search over random unit vectors.</summary>
public static class IndexBenchmark
{
    /// <summary>Builds the index and times one batch of queries.</summary>
    public static IndexBenchmarkResult Run(IndexBenchmarkOptions options)
    {
        var random = new Random(options.Seed);
        using var index = new ExactIndex(RandomUnitRows(options.Documents, options.Dimension, random), new ExactIndexOptions { Threads = options.Threads });
        var batch = RandomUnitRows(options.Queries, options.Dimension, random).Values.ToArray();
        double best = BestOfRepeats.Seconds(options.Repeats, () => index.Search(batch, options.K));
        double gflops = 2.0 * options.Queries * options.Documents * options.Dimension / best / 1e9;
        return new IndexBenchmarkResult(best, options.Queries / best, gflops, MultiplyAddPeak.EstimateGigaflops(options.Threads, TimeSpan.FromSeconds(1)));
    }

    /// <summary>Random unit rows, uniform in direction up to the cube's bias.</summary>
    public static EmbeddingMatrix RandomUnitRows(int rows, int dimension, Random random)
    {
        var matrix = new EmbeddingMatrix(rows, dimension);
        for (int i = 0; i < matrix.Values.Length; i++)
        {
            matrix.Values[i] = (float)((random.NextDouble() * 2) - 1);
        }

        return matrix.NormalizeRows();
    }
}
