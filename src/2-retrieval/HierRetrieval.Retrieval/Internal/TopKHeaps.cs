namespace HierRetrieval.Retrieval.Internal;

/// <summary>
/// One bounded min-heap per query holding its k best (score, id) entries so far; the root is the worst
/// entry, so its score is the threshold a new document must beat. Ties rank the lower id higher.
/// </summary>
internal sealed class TopKHeaps
{
    private readonly int _k;
    private readonly float[] _scores;
    private readonly int[] _ids;
    private readonly int[] _counts;

    public TopKHeaps(int queries, int k)
    {
        _k = k;
        _scores = new float[queries * k];
        _ids = new int[queries * k];
        _counts = new int[queries];
    }

    /// <summary>The score a document must exceed to enter query <paramref name="query"/>'s heap.</summary>
    public float Threshold(int query) => _counts[query] < _k ? float.NegativeInfinity : _scores[query * _k];

    /// <summary>Offers a document; callers offer documents of one query in ascending id order, or use <see cref="Merge"/>.</summary>
    public void Offer(int query, int id, float score)
    {
        int baseIndex = query * _k;
        int count = _counts[query];
        if (count < _k)
        {
            int i = count;
            _counts[query] = count + 1;
            while (i > 0)
            {
                int parent = (i - 1) / 2;
                if (!IsWorse(score, id, _scores[baseIndex + parent], _ids[baseIndex + parent]))
                {
                    break;
                }

                _scores[baseIndex + i] = _scores[baseIndex + parent];
                _ids[baseIndex + i] = _ids[baseIndex + parent];
                i = parent;
            }

            _scores[baseIndex + i] = score;
            _ids[baseIndex + i] = id;
            return;
        }

        if (!IsWorse(_scores[baseIndex], _ids[baseIndex], score, id))
        {
            return;
        }

        int at = 0;
        while (true)
        {
            int child = (2 * at) + 1;
            if (child >= _k)
            {
                break;
            }

            if (child + 1 < _k && IsWorse(_scores[baseIndex + child + 1], _ids[baseIndex + child + 1], _scores[baseIndex + child], _ids[baseIndex + child]))
            {
                child++;
            }

            if (!IsWorse(_scores[baseIndex + child], _ids[baseIndex + child], score, id))
            {
                break;
            }

            _scores[baseIndex + at] = _scores[baseIndex + child];
            _ids[baseIndex + at] = _ids[baseIndex + child];
            at = child;
        }

        _scores[baseIndex + at] = score;
        _ids[baseIndex + at] = id;
    }

    /// <summary>Offers every entry of <paramref name="other"/>'s heap for query <paramref name="otherQuery"/>.</summary>
    public void Merge(int query, TopKHeaps other, int otherQuery)
    {
        int baseIndex = otherQuery * other._k;
        for (int i = 0; i < other._counts[otherQuery]; i++)
        {
            Offer(query, other._ids[baseIndex + i], other._scores[baseIndex + i]);
        }
    }

    /// <summary>Writes query <paramref name="query"/>'s entries best first, padding with id -1 and negative infinity.</summary>
    public void WriteSorted(int query, Span<int> ids, Span<float> scores)
    {
        int count = _counts[query];
        var entries = new (float Score, int Id)[count];
        for (int i = 0; i < count; i++)
        {
            entries[i] = (_scores[(query * _k) + i], _ids[(query * _k) + i]);
        }

        Array.Sort(entries, static (a, b) => a.Score != b.Score ? b.Score.CompareTo(a.Score) : a.Id.CompareTo(b.Id));
        for (int i = 0; i < ids.Length; i++)
        {
            ids[i] = i < count ? entries[i].Id : -1;
            scores[i] = i < count ? entries[i].Score : float.NegativeInfinity;
        }
    }

    private static bool IsWorse(float score, int id, float otherScore, int otherId) =>
        score < otherScore || (score == otherScore && id > otherId);
}
