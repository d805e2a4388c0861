namespace HierRetrieval.Evaluation;

/// <summary>
/// Metrics of hierarchical retrieval over a set of matched pairs (q, a). For every query q all documents are
/// ranked by score (ties: lower id first).
/// <list type="bullet">
/// <item>Primary metric, recall@|S(q)|: a pair is retrieved when a is among the top |S(q)| documents, where
/// S(q) = {q} ∪ ancestors(q). <see cref="Overall"/> is the retrieved fraction of all pairs, <see cref="RecallByDistance"/>
/// the fraction per distance bucket, <see cref="Min"/> the lowest bucket from
/// <see cref="HierarchyEvaluatorOptions.MinFromDistance"/> on (D1.. by default, the paper's Min).</item>
/// <item>Filtered ranking: the matches of q that are not among the evaluated pairs (say, training pairs when the test
/// split is evaluated) are removed from q's list. <see cref="RecallAtK"/>: fraction of pairs in the top k of that list.
/// <see cref="MeanAveragePrecision"/>: mean over queries of AP(q) = mean over its pairs of (pairs ranked at or above a) / (a's position).</item>
/// <item><see cref="MeanRank"/> (Nickel and Kiela's reconstruction rank): 1 + the number of non-matches of q
/// ranked above a, averaged over pairs.</item>
/// </list>
/// </summary>
public sealed class HierarchyRetrievalMetrics
{
    /// <summary>The name of the primary metric.</summary>
    public const string PrimaryMetricName = "recall@|S(q)|";

    internal HierarchyRetrievalMetrics(
        int queries,
        long pairs,
        IReadOnlyDictionary<int, double> recallByDistance,
        IReadOnlyDictionary<int, long> pairsByDistance,
        double overall,
        int k,
        double recallAtK,
        double meanAveragePrecision,
        double meanRank,
        int minFromDistance)
    {
        Queries = queries;
        Pairs = pairs;
        RecallByDistance = recallByDistance;
        PairsByDistance = pairsByDistance;
        Overall = overall;
        K = k;
        RecallAtK = recallAtK;
        MeanAveragePrecision = meanAveragePrecision;
        MeanRank = meanRank;
        if (MinRecall.Of(recallByDistance, minFromDistance) is var (distance, recall))
        {
            Min = recall;
            MinDistance = distance;
        }
    }

    /// <summary>Number of distinct queries evaluated.</summary>
    public int Queries { get; }

    /// <summary>Number of matched pairs evaluated.</summary>
    public long Pairs { get; }

    /// <summary>Recall@|S(q)| per distance bucket (ascending), buckets without pairs omitted.</summary>
    public IReadOnlyDictionary<int, double> RecallByDistance { get; }

    /// <summary>Pairs per distance bucket.</summary>
    public IReadOnlyDictionary<int, long> PairsByDistance { get; }

    /// <summary>Recall@|S(q)| over all pairs.</summary>
    public double Overall { get; }

    /// <summary>The lowest recall of the distance buckets from <see cref="HierarchyEvaluatorOptions.MinFromDistance"/> on (see <see cref="MinRecall"/>).</summary>
    public double Min { get; }

    /// <summary>The bucket of <see cref="Min"/> (the smaller distance on a tie).</summary>
    public int MinDistance { get; }

    /// <summary>The k of <see cref="RecallAtK"/>.</summary>
    public int K { get; }

    /// <summary>Fraction of pairs whose document is in the top k of the filtered ranking.</summary>
    public double RecallAtK { get; }

    /// <summary>Mean average precision over queries (filtered ranking).</summary>
    public double MeanAveragePrecision { get; }

    /// <summary>Mean of 1 + (non-matches ranked above the document) over pairs.</summary>
    public double MeanRank { get; }
}
