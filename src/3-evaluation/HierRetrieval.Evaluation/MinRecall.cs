namespace HierRetrieval.Evaluation;

/// <summary>
/// The paper's Min: the lowest recall of any distance bucket from a given distance on (1 leaves the self pair out,
/// as the paper's table does). Shared by every evaluator so that reports and validation agree.
/// </summary>
public static class MinRecall
{
    /// <summary>The distance the paper's Min starts from: D1, the self pair (D0) left out.</summary>
    public const int PaperFromDistance = 1;

    /// <summary>
    /// The lowest recall among the buckets at <paramref name="fromDistance"/> or more (among all buckets when none is),
    /// and its bucket, the smaller one on a tie; null when there are no buckets.
    /// </summary>
    /// <param name="recallByDistance">Recall per distance bucket.</param>
    /// <param name="fromDistance">The smallest distance counted.</param>
    public static (int Distance, double Recall)? Of(IReadOnlyDictionary<int, double> recallByDistance, int fromDistance)
    {
        ArgumentNullException.ThrowIfNull(recallByDistance);
        ArgumentOutOfRangeException.ThrowIfNegative(fromDistance);
        var buckets = recallByDistance.Select(kv => (Distance: kv.Key, Recall: kv.Value)).ToArray();
        var counted = buckets.Where(b => b.Distance >= fromDistance).ToArray();
        var candidates = counted.Length > 0 ? counted : buckets;
        return candidates.Length == 0 ? null : candidates.MinBy(b => (b.Recall, b.Distance));
    }
}
