using HierRetrieval.Data.Hierarchies;

namespace HierRetrieval.Data.Pairs;

/// <summary>An immutable set of matched pairs, ordered by query, then document.</summary>
public sealed class PairSet
{
    private readonly MatchedPair[] _pairs;

    /// <summary>Creates a set from pairs in any order (they are sorted; the array is copied).</summary>
    public PairSet(IEnumerable<MatchedPair> pairs)
        : this([.. pairs], sorted: false)
    {
    }

    private PairSet(MatchedPair[] pairs, bool sorted)
    {
        if (!sorted)
        {
            Array.Sort(pairs, static (a, b) => a.Query != b.Query ? a.Query.CompareTo(b.Query) : a.Document.CompareTo(b.Document));
        }

        _pairs = pairs;
    }

    /// <summary>Number of pairs.</summary>
    public int Count => _pairs.Length;

    /// <summary>The pairs, ordered by query, then document.</summary>
    public ReadOnlySpan<MatchedPair> Pairs => _pairs;

    /// <summary>Every pair of the closure; self pairs (distance 0) included when <paramref name="includeSelf"/> is true.</summary>
    public static PairSet All(TransitiveClosure closure, bool includeSelf = true) =>
        ForQueries(closure, Enumerable.Range(0, closure.NodeCount), includeSelf);

    /// <summary>Every pair whose query is one of <paramref name="queries"/>.</summary>
    public static PairSet ForQueries(TransitiveClosure closure, IEnumerable<int> queries, bool includeSelf = true)
    {
        var pairs = new List<MatchedPair>();
        foreach (int q in queries.Distinct())
        {
            if (includeSelf)
            {
                pairs.Add(new MatchedPair(q, q, 0));
            }

            var ancestors = closure.AncestorsOf(q);
            var distances = closure.DistancesOf(q);
            for (int i = 0; i < ancestors.Length; i++)
            {
                pairs.Add(new MatchedPair(q, ancestors[i], distances[i]));
            }
        }

        return new PairSet([.. pairs], sorted: false);
    }

    /// <summary>The pairs that satisfy <paramref name="predicate"/>.</summary>
    public PairSet Where(Func<MatchedPair, bool> predicate) => new(_pairs.Where(predicate).ToArray(), sorted: true);

    /// <summary>Splits into near pairs (distance below <paramref name="farThreshold"/>) and far pairs (distance at or above it).</summary>
    public (PairSet Near, PairSet Far) PartitionByDistance(int farThreshold) =>
        (Where(p => p.Distance < farThreshold), Where(p => p.Distance >= farThreshold));

    /// <summary>
    /// Keeps every self pair and far pair (distance at or above <paramref name="farThreshold"/>) and a seeded random
    /// <paramref name="fraction"/> of the other near pairs: a training set where near data is scarce.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The fraction is outside [0, 1].</exception>
    public PairSet ThinNear(int farThreshold, double fraction, int seed)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(fraction);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(fraction, 1.0);
        var random = new Random(seed);
        return Where(p => p.Distance == 0 || p.Distance >= farThreshold || random.NextDouble() < fraction);
    }

    /// <summary>
    /// The pairs of a seeded random sample of <paramref name="queries"/> queries (all pairs when there are no more
    /// queries than that, or when <paramref name="queries"/> is 0): a cheaper validation set with every match of
    /// each sampled query.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="queries"/> is negative.</exception>
    public PairSet SampleQueries(int queries, int seed)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(queries);
        int[] all = Queries();
        if (queries == 0 || all.Length <= queries)
        {
            return this;
        }

        var random = StepRandom.For(seed, stream: 2000, index: 0);
        var chosen = random.GetItems(all, all.Length).Distinct().Take(queries).ToHashSet();
        return Where(p => chosen.Contains(p.Query));
    }

    /// <summary>The number of pairs at each distance, ascending by distance.</summary>
    public SortedDictionary<int, int> CountByDistance()
    {
        var counts = new SortedDictionary<int, int>();
        foreach (var pair in _pairs)
        {
            counts[pair.Distance] = counts.GetValueOrDefault(pair.Distance) + 1;
        }

        return counts;
    }

    /// <summary>The distinct queries, ascending.</summary>
    public int[] Queries()
    {
        var queries = new List<int>();
        foreach (var pair in _pairs)
        {
            if (queries.Count == 0 || queries[^1] != pair.Query)
            {
                queries.Add(pair.Query);
            }
        }

        return [.. queries];
    }
}
