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

    /// <summary>Pairs at this distance or more are reported together under it; null reports every distance.</summary>
    public int? DistanceBucketCap { get; init; }
}
