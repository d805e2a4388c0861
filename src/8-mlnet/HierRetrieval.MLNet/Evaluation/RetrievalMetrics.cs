namespace HierRetrieval.MLNet.Evaluation;

/// <summary>
/// Retrieval quality of ranked documents against relevant pairs (definitions in docs/evaluation-metrics.md, "ML.NET
/// evaluator"). Recalls are pooled over pairs; MAP and NDCG are means over queries.
/// </summary>
public sealed record RetrievalMetrics
{
    /// <summary>Number of distinct queries with at least one counted pair.</summary>
    public required int Queries { get; init; }

    /// <summary>Number of distinct counted (query, document) pairs.</summary>
    public required long Pairs { get; init; }

    /// <summary>Length of the longest retrieved list.</summary>
    public required int K { get; init; }

    /// <summary>Fraction of pairs whose document is among the query's retrieved documents.</summary>
    public required double RecallAtK { get; init; }

    /// <summary>Fraction of pairs (q, a) with a among the first |R(q)| retrieved documents (R(q): q's relevant documents).</summary>
    public required double Overall { get; init; }

    /// <summary><see cref="Overall"/> restricted to the pairs at each distance.</summary>
    public required IReadOnlyDictionary<int, double> RecallByDistance { get; init; }

    /// <summary>Number of pairs at each distance.</summary>
    public required IReadOnlyDictionary<int, long> PairsByDistance { get; init; }

    /// <summary>The lowest value of <see cref="RecallByDistance"/> from <see cref="RetrievalEvaluatorOptions.MinFromDistance"/> on (<see cref="Overall"/> when there are no distances).</summary>
    public required double Min { get; init; }

    /// <summary>The distance of <see cref="Min"/> (the smaller on a tie); -1 when there are no distances.</summary>
    public required int MinDistance { get; init; }

    /// <summary>Mean average precision over the retrieved list (AP@k: precision at each relevant hit, divided by |R(q)|).</summary>
    public required double MeanAveragePrecision { get; init; }

    /// <summary>Mean NDCG@k with binary gains; the ideal ranking puts min(k, |R(q)|) relevant documents first.</summary>
    public required double Ndcg { get; init; }

    /// <summary>Queries with more relevant documents than retrieved ones (their recall@|R(q)| is capped by k).</summary>
    public required int QueriesBeyondK { get; init; }
}
