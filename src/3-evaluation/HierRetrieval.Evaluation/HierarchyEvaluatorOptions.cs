using HierRetrieval.Retrieval;

namespace HierRetrieval.Evaluation;

/// <summary>Settings of a <see cref="HierarchyEvaluator"/>.</summary>
public sealed record HierarchyEvaluatorOptions
{
    /// <summary>The k of recall@k.</summary>
    public int K { get; init; } = 10;

    /// <summary>Worker threads of the ranking, and of the score rows unless <see cref="ScoreRows"/> is set (default: all cores).</summary>
    public int Threads { get; init; } = Environment.ProcessorCount;

    /// <summary>Queries scored per batch (memory: batch x documents floats).</summary>
    public int QueryBatchSize { get; init; } = 128;

    /// <summary>When set, pairs at this distance or more share one bucket, reported under this distance.</summary>
    public int? DistanceBucketCap { get; init; }

    /// <summary>
    /// <see cref="HierarchyRetrievalMetrics.Min"/> counts the distance buckets from this one (default 1: the self pair
    /// left out, as the paper's Min; 0 counts it), all buckets when none of those was evaluated.
    /// </summary>
    public int MinFromDistance { get; init; } = MinRecall.PaperFromDistance;

    /// <summary>Computes every query's full score row; null uses an exact index on <see cref="Threads"/> threads.</summary>
    public IScoreMatrixFactory? ScoreRows { get; init; }
}
