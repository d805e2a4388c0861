using HierRetrieval.Data.Hierarchies;

namespace HierRetrieval.Training.Batching;

/// <summary>
/// Draws hard negatives from the hierarchy: for a query q, a child of a random ancestor of q that is not itself a
/// match of q (a sibling, an uncle, a cousin's parent). These are the documents that must rank just below q's
/// ancestors, and uniform sampling almost never draws them: most nodes are leaves far from q.
/// </summary>
public sealed class NeighbourNegativeSampler
{
    private const int Attempts = 4;
    private readonly TransitiveClosure _closure;
    private readonly int[] _childOffsets;
    private readonly int[] _children;

    /// <summary>Indexes the children of every node of <paramref name="closure"/>.</summary>
    public NeighbourNegativeSampler(TransitiveClosure closure)
    {
        _closure = closure;
        int n = closure.NodeCount;
        _childOffsets = new int[n + 1];
        ForEachEdge((child, parent) => _childOffsets[parent + 1]++);
        for (int i = 0; i < n; i++)
        {
            _childOffsets[i + 1] += _childOffsets[i];
        }

        _children = new int[_childOffsets[n]];
        int[] next = _childOffsets[..n];
        ForEachEdge((child, parent) => _children[next[parent]++] = child);
    }

    /// <summary>A negative for <paramref name="query"/>, or a uniformly drawn node when its neighbourhood has none.</summary>
    public int Sample(int query, Random random)
    {
        var ancestors = _closure.AncestorsOf(query);
        for (int attempt = 0; attempt < Attempts && ancestors.Length > 0; attempt++)
        {
            int ancestor = ancestors[random.Next(ancestors.Length)];
            int count = _childOffsets[ancestor + 1] - _childOffsets[ancestor];
            int candidate = _children[_childOffsets[ancestor] + random.Next(count)];
            if (candidate != query && !_closure.IsMatch(query, candidate))
            {
                return candidate;
            }
        }

        return random.Next(_closure.NodeCount);
    }

    private void ForEachEdge(Action<int, int> visit)
    {
        for (int node = 0; node < _closure.NodeCount; node++)
        {
            var ancestors = _closure.AncestorsOf(node);
            var distances = _closure.DistancesOf(node);
            for (int i = 0; i < ancestors.Length; i++)
            {
                if (distances[i] == 1)
                {
                    visit(node, ancestors[i]);
                }
            }
        }
    }
}
