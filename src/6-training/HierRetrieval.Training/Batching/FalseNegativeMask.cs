namespace HierRetrieval.Training.Batching;

/// <summary>
/// Builds the (B, C) mask of in-batch false negatives: candidate j is masked for query k when j != k and the
/// candidate's document matches the query. Costs O(B x |S(q)|) per batch through a per-document list of candidate
/// positions, instead of testing all B x C cells.
/// </summary>
public sealed class FalseNegativeMask
{
    private readonly IMatchSets _matches;
    private readonly int[] _firstPosition;
    private int[] _nextPosition = [];

    /// <summary>Creates a mask builder for documents 0..<paramref name="documentCount"/>-1.</summary>
    public FalseNegativeMask(IMatchSets matches, int documentCount)
    {
        _matches = matches;
        _firstPosition = new int[documentCount];
        Array.Fill(_firstPosition, -1);
    }

    /// <summary>Fills <paramref name="mask"/> (row-major B x C) for the batch; returns how many cells were masked.</summary>
    public int Build(ReadOnlySpan<int> queries, ReadOnlySpan<int> candidates, Span<bool> mask)
    {
        int batch = queries.Length;
        int columns = candidates.Length;
        if (mask.Length != batch * columns)
        {
            throw new ArgumentException($"mask holds {mask.Length} cells, expected {batch} x {columns}", nameof(mask));
        }

        mask.Clear();
        if (_nextPosition.Length < columns)
        {
            _nextPosition = new int[columns];
        }

        for (int j = columns - 1; j >= 0; j--)
        {
            _nextPosition[j] = _firstPosition[candidates[j]];
            _firstPosition[candidates[j]] = j;
        }

        int masked = 0;
        for (int k = 0; k < batch; k++)
        {
            var row = mask.Slice(k * columns, columns);
            if (_matches.IncludesSelf)
            {
                masked += MarkPositions(queries[k], k, row);
            }

            foreach (int document in _matches.MatchesOf(queries[k]))
            {
                masked += MarkPositions(document, k, row);
            }
        }

        foreach (int candidate in candidates)
        {
            _firstPosition[candidate] = -1;
        }

        return masked;
    }

    private int MarkPositions(int document, int positive, Span<bool> row)
    {
        int marked = 0;
        for (int j = _firstPosition[document]; j >= 0; j = _nextPosition[j])
        {
            if (j != positive)
            {
                row[j] = true;
                marked++;
            }
        }

        return marked;
    }
}
