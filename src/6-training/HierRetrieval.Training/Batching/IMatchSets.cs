using HierRetrieval.Data.Hierarchies;

namespace HierRetrieval.Training.Batching;

/// <summary>Which documents match a query: what false-negative masking needs to know.</summary>
public interface IMatchSets
{
    /// <summary>Every document that matches <paramref name="query"/> other than the query's own item.</summary>
    ReadOnlySpan<int> MatchesOf(int query);

    /// <summary>Whether the query's own item is one of its matches (true for hierarchies: S(q) contains q).</summary>
    bool IncludesSelf { get; }
}

/// <summary>Match sets of a hierarchy: a node matches itself and its ancestors.</summary>
public sealed class ClosureMatchSets(TransitiveClosure closure) : IMatchSets
{
    /// <inheritdoc />
    public ReadOnlySpan<int> MatchesOf(int query) => closure.AncestorsOf(query);

    /// <inheritdoc />
    public bool IncludesSelf => true;
}
