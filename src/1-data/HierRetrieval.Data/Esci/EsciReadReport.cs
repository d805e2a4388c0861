namespace HierRetrieval.Data.Esci;

/// <summary>What reading (and joining) the ESCI tables kept, skipped and rejected, with the first problems by location.</summary>
public sealed class EsciReadReport
{
    private const int KeptProblems = 20;
    private readonly Dictionary<string, long> _counts = new(StringComparer.Ordinal);
    private readonly List<string> _problems = [];

    /// <summary>Counts of rows by outcome: "read", and one entry per reason a row was rejected or dropped.</summary>
    public IReadOnlyDictionary<string, long> Counts => _counts;

    /// <summary>The first problems, each "file:row: reason".</summary>
    public IReadOnlyList<string> FirstProblems => _problems;

    /// <summary>Rows that were rejected or dropped, over every reason.</summary>
    public long Dropped => _counts.Where(c => c.Key != ReadKey).Sum(c => c.Value);

    /// <summary>The key of the count of rows read.</summary>
    public const string ReadKey = "read";

    internal void Count(string key, long by = 1) => _counts[key] = _counts.GetValueOrDefault(key) + by;

    internal void Problem(string reason, string source, long row, string detail)
    {
        Count(reason);
        if (_problems.Count < KeptProblems)
        {
            _problems.Add($"{source}:{row}: {detail}");
        }
    }

    internal void Merge(EsciReadReport other)
    {
        foreach (var (key, count) in other._counts)
        {
            Count(key, count);
        }

        _problems.AddRange(other._problems.Take(KeptProblems - _problems.Count));
    }
}
