using HierRetrieval.Data.Hierarchies;

namespace HierRetrieval.Training.Batching;

/// <summary>
/// Draws hard negatives from the hierarchy: for a query q, a child of an ancestor of q that is not itself a
/// match of q (a sibling, an uncle, a cousin's parent). These are the documents that must rank just below q's
/// ancestors, and uniform sampling almost never draws them: most nodes are leaves far from q.
/// </summary>
public sealed class NeighbourNegativeSampler
{
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

    /// <summary>
    /// A negative for <paramref name="query"/>: starting from a random ancestor and a random child of it, the first
    /// child (in cyclic order over ancestors, then children) that is not a match; a uniformly drawn node when the
    /// neighbourhood has none (a chain).
    /// </summary>
    public int Sample(int query, Random random)
    {
        var ancestors = _closure.AncestorsOf(query);
        int firstAncestor = ancestors.Length == 0 ? 0 : random.Next(ancestors.Length);
        for (int a = 0; a < ancestors.Length; a++)
        {
            int ancestor = ancestors[(firstAncestor + a) % ancestors.Length];
            int start = _childOffsets[ancestor];
            int count = _childOffsets[ancestor + 1] - start;
            int firstChild = random.Next(count);
            for (int c = 0; c < count; c++)
            {
                int candidate = _children[start + ((firstChild + c) % count)];
                if (candidate != query && !_closure.IsMatch(query, candidate))
                {
                    return candidate;
                }
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
