using HierRetrieval.Data.Hierarchies;
using HierRetrieval.Data.Pairs;
using HierRetrieval.Evaluation;
using HierRetrieval.Retrieval;

namespace HierRetrieval.Studies.Benchmarks;

/// <summary>Settings of <see cref="EvaluationBenchmark"/>.</summary>
public sealed record EvaluationBenchmarkOptions
{
    /// <summary>Embedding dimension.</summary>
    public int Dimension { get; init; } = 64;

    /// <summary>Queries evaluated (sampled with all their pairs).</summary>
    public int Queries { get; init; } = 8192;

    /// <summary>Timed repetitions (the best is reported).</summary>
    public int Repeats { get; init; } = 3;

    /// <summary>Evaluation threads.</summary>
    public int Threads { get; init; } = Environment.ProcessorCount;

    /// <summary>Seed of the query sample and the random embeddings.</summary>
    public int Seed { get; init; }
}

/// <summary>Speed and managed allocation of one evaluation.</summary>
/// <param name="Queries">Queries evaluated.</param>
/// <param name="Pairs">Their matched pairs.</param>
/// <param name="Seconds">Fastest evaluation.</param>
/// <param name="AllocatedMegabytes">Managed memory allocated by one evaluation, on all threads (mean over every run).</param>
public sealed record EvaluationBenchmarkResult(int Queries, long Pairs, double Seconds, double AllocatedMegabytes)
{
    /// <summary>Queries evaluated per second.</summary>
    public double QueriesPerSecond => Queries / Seconds;
}

/// <summary>
/// Times <see cref="HierarchyEvaluator.Evaluate"/> on random unit embeddings: the worst case of a weak model, where
/// most documents score above each query's lowest matched pair and have to be placed among its pairs.
/// Training validates this way every few hundred steps, so what one evaluation allocates is reported beside its time.
/// </summary>
public static class EvaluationBenchmark
{
    /// <summary>Evaluates random embeddings of <paramref name="hierarchy"/>'s nodes on a sample of its queries.</summary>
    public static EvaluationBenchmarkResult Run(Hierarchy hierarchy, EvaluationBenchmarkOptions options)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(options.Queries, 1, nameof(options));
        var closure = TransitiveClosure.Compute(hierarchy);
        var pairs = PairSet.All(closure).SampleQueries(options.Queries, options.Seed);
        var random = new Random(options.Seed);
        var embeddings = new NodeEmbeddings(
            IndexBenchmark.RandomUnitRows(hierarchy.Count, options.Dimension, random), IndexBenchmark.RandomUnitRows(hierarchy.Count, options.Dimension, random));
        var evaluator = new HierarchyEvaluator(new HierarchyEvaluatorOptions { Threads = options.Threads });
        long before = GC.GetTotalAllocatedBytes(precise: true);
        double seconds = BestOfRepeats.Seconds(options.Repeats, () => evaluator.Evaluate(closure, embeddings, pairs));
        double allocated = (GC.GetTotalAllocatedBytes(precise: true) - before) / (options.Repeats + 1.0);
        return new EvaluationBenchmarkResult(pairs.Queries().Length, pairs.Count, seconds, allocated / (1024.0 * 1024.0));
    }
}
