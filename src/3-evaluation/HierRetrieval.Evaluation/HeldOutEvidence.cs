using HierRetrieval.Data.Hierarchies;
using HierRetrieval.Data.Pairs;

namespace HierRetrieval.Evaluation;

/// <summary>What the training pairs say about a held-out pair (q, a).</summary>
public enum HeldOutEvidence
{
    /// <summary>A path of two training pairs leads from q to a: (q, x) and (x, a) for some other node x.</summary>
    Path,

    /// <summary>No such path, but some training query c has both as matches: (c, q) and (c, a).</summary>
    SharedDescendant,

    /// <summary>
    /// Neither: no two-pair path from q to a and no shared descendant. What q and a may still share, an ancestor,
    /// does not tell a from its siblings: for a leaf q, the training pairs read the same whether a or a sibling of a
    /// is q's held-out parent.
    /// </summary>
    None,
}

/// <summary>
/// Sorts held-out pairs by the evidence the training pairs hold for them (<see cref="HeldOutEvidence"/>), so that
/// recall can be reported separately for links that training implies and links that it says nothing about.
/// </summary>
public sealed class HeldOutEvidenceClassifier
{
    private readonly TransitiveClosure _training;
    private readonly int[][] _matchedBy;

    /// <summary>Indexes the non-self pairs of <paramref name="training"/> over nodes [0, <paramref name="nodeCount"/>).</summary>
    /// <exception cref="ArgumentOutOfRangeException">A pair names a node outside [0, <paramref name="nodeCount"/>).</exception>
    public HeldOutEvidenceClassifier(int nodeCount, PairSet training)
    {
        _training = TransitiveClosure.FromPairs(nodeCount, training.Pairs.ToArray());
        var matchedBy = new List<int>[nodeCount];
        for (int query = 0; query < nodeCount; query++)
        {
            foreach (int document in _training.AncestorsOf(query))
            {
                (matchedBy[document] ??= []).Add(query);
            }
        }

        _matchedBy = [.. matchedBy.Select(list => list?.ToArray() ?? [])];
    }

    /// <summary>The evidence for the pair (<paramref name="query"/>, <paramref name="document"/>).</summary>
    /// <exception cref="ArgumentOutOfRangeException">A node is outside the indexed range.</exception>
    public HeldOutEvidence Classify(int query, int document)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual((uint)query, (uint)_training.NodeCount, nameof(query));
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual((uint)document, (uint)_training.NodeCount, nameof(document));
        foreach (int middle in _training.AncestorsOf(query))
        {
            if (middle != document && _training.IsMatch(middle, document))
            {
                return HeldOutEvidence.Path;
            }
        }

        foreach (int descendant in _matchedBy[query])
        {
            if (descendant != document && _training.IsMatch(descendant, document))
            {
                return HeldOutEvidence.SharedDescendant;
            }
        }

        return HeldOutEvidence.None;
    }

    /// <summary>The pairs of <paramref name="heldOut"/> grouped by evidence, in <see cref="HeldOutEvidence"/> order; a class with no pairs is left out.</summary>
    public IReadOnlyDictionary<HeldOutEvidence, PairSet> Partition(PairSet heldOut)
    {
        var groups = new SortedDictionary<HeldOutEvidence, List<MatchedPair>>();
        foreach (var pair in heldOut.Pairs)
        {
            var evidence = Classify(pair.Query, pair.Document);
            if (!groups.TryGetValue(evidence, out var group))
            {
                groups[evidence] = group = [];
            }

            group.Add(pair);
        }

        return groups.ToDictionary(group => group.Key, group => new PairSet(group.Value));
    }
}
