namespace HierRetrieval.Evaluation;

/// <summary>Settings of a <see cref="HierarchyEvaluator"/>.</summary>
public sealed record HierarchyEvaluatorOptions
{
    /// <summary>The k of recall@k.</summary>
    public int K { get; init; } = 10;

    /// <summary>Worker threads (default: all cores).</summary>
    public int Threads { get; init; } = Environment.ProcessorCount;

    /// <summary>Queries scored per batch (memory: batch x documents floats).</summary>
    public int QueryBatchSize { get; init; } = 128;

    /// <summary>When set, pairs at this distance or more share one bucket, reported under this distance.</summary>
    public int? DistanceBucketCap { get; init; }
}
