namespace HierRetrieval.Retrieval;

/// <summary>Dense top-k results: row q holds the k best document ids of query q, best first, and their scores.</summary>
public sealed class SearchResult
{
    private readonly int[] _ids;
    private readonly float[] _scores;

    /// <summary>Wraps result arrays of <paramref name="queryCount"/> x <paramref name="k"/> entries.</summary>
    public SearchResult(int queryCount, int k, int[] ids, float[] scores)
    {
        if (ids.Length != (long)queryCount * k || scores.Length != ids.Length)
        {
            throw new ArgumentException($"expected {queryCount} x {k} ids and scores");
        }

        QueryCount = queryCount;
        K = k;
        _ids = ids;
        _scores = scores;
    }

    /// <summary>Number of queries.</summary>
    public int QueryCount { get; }

    /// <summary>Results per query.</summary>
    public int K { get; }

    /// <summary>Document ids of query <paramref name="query"/>, best first; -1 marks a missing entry.</summary>
    public ReadOnlySpan<int> IdsOf(int query) => _ids.AsSpan(query * K, K);

    /// <summary>Scores matching <see cref="IdsOf"/>; negative infinity for a missing entry.</summary>
    public ReadOnlySpan<float> ScoresOf(int query) => _scores.AsSpan(query * K, K);
}
