using HierRetrieval.Evaluation;

namespace HierRetrieval.MLNet.Evaluation;

/// <summary>The columns <see cref="RetrievalEvaluator"/> reads.</summary>
public sealed record RetrievalEvaluatorOptions
{
    /// <summary>The text column of queries.</summary>
    public string QueryColumnName { get; init; } = "Query";

    /// <summary>The text column of the relevant document of each row.</summary>
    public string DocumentColumnName { get; init; } = "Document";

    /// <summary>The numeric column of each pair's distance, for recall by distance; null reports no distances.</summary>
    public string? DistanceColumnName { get; init; } = "Distance";

    /// <summary>The vector-of-text column of retrieved documents, best first.</summary>
    public string RetrievedColumnName { get; init; } = "Documents";

    /// <summary>
    /// A Boolean column that marks the pairs to count (e.g. a held-out test split). Rows marked false are matches of
    /// their query that still define R(q): they set the cutoff |R(q)| and are filtered from recall@k, MAP and NDCG
    /// (the protocol of the CLI's evaluate --split test). Null counts every row.
    /// </summary>
    public string? EvaluatedColumnName { get; init; }

    /// <summary>Pairs at this distance or more are reported together under it; null reports every distance.</summary>
    public int? DistanceBucketCap { get; init; }

    /// <summary>
    /// <see cref="RetrievalMetrics.Min"/> counts the distances from this one (default 1: the self pair left out, as
    /// the paper's Min; 0 counts it), all distances when none of those was counted.
    /// </summary>
    public int MinFromDistance { get; init; } = MinRecall.PaperFromDistance;
}
