using HierRetrieval.Data.Pairs;

namespace HierRetrieval.Data.Hierarchies;

/// <summary>
/// The transitive closure of a hierarchy: for every node q, its ancestors with the shortest number of
/// child -> parent hops to each. The match set of q is S(q) = {q} ∪ ancestors(q) (distance 0 for q itself).
/// Stored compactly: the ancestors of q, ascending by index, are <see cref="AncestorsOf"/>(q) and their
/// distances <see cref="DistancesOf"/>(q).
/// </summary>
public sealed class TransitiveClosure
{
    private readonly int[] _offsets;
    private readonly int[] _ancestors;
    private readonly int[] _distances;

    private TransitiveClosure(int[] offsets, int[] ancestors, int[] distances)
    {
        _offsets = offsets;
        _ancestors = ancestors;
        _distances = distances;
        MaxDistance = distances.Length == 0 ? 0 : distances.Max();
        int maxAncestors = 0;
        for (int q = 0; q < NodeCount; q++)
        {
            maxAncestors = Math.Max(maxAncestors, offsets[q + 1] - offsets[q]);
        }

        MaxMatchSetSize = maxAncestors + 1;
    }

    /// <summary>Number of nodes.</summary>
    public int NodeCount => _offsets.Length - 1;

    /// <summary>Number of (node, ancestor) pairs, self pairs not counted.</summary>
    public long PairCount => _ancestors.Length;

    /// <summary>Largest distance of any (node, ancestor) pair.</summary>
    public int MaxDistance { get; }

    /// <summary>Largest match set size |S(q)|.</summary>
    public int MaxMatchSetSize { get; }

    /// <summary>Ancestors of <paramref name="node"/> (itself excluded), ascending by index.</summary>
    public ReadOnlySpan<int> AncestorsOf(int node) => _ancestors.AsSpan(_offsets[node], _offsets[node + 1] - _offsets[node]);

    /// <summary>Shortest distances to the ancestors returned by <see cref="AncestorsOf"/>, position by position.</summary>
    public ReadOnlySpan<int> DistancesOf(int node) => _distances.AsSpan(_offsets[node], _offsets[node + 1] - _offsets[node]);

    /// <summary>|S(q)|: the node itself plus its ancestors.</summary>
    public int MatchSetSize(int node) => _offsets[node + 1] - _offsets[node] + 1;

    /// <summary>Shortest child -> parent distance from <paramref name="query"/> to <paramref name="document"/>: 0 for the node itself, -1 if not an ancestor.</summary>
    public int Distance(int query, int document)
    {
        if (query == document)
        {
            return 0;
        }

        int at = AncestorsOf(query).BinarySearch(document);
        return at >= 0 ? _distances[_offsets[query] + at] : -1;
    }

    /// <summary>Whether <paramref name="document"/> is in S(<paramref name="query"/>).</summary>
    public bool IsMatch(int query, int document) => Distance(query, document) >= 0;

    /// <summary>Computes the closure of <paramref name="hierarchy"/> afresh (<see cref="Hierarchy.Closure"/> caches it).</summary>
    public static TransitiveClosure Compute(Hierarchy hierarchy) => Compute(hierarchy.Parents);

    /// <summary>
    /// A closure given by its pairs rather than by parent edges: S(q) = {q} ∪ the documents paired with q. For data that
    /// lists (query, document, distance) pairs directly, e.g. an ML.NET training view. Self pairs are implied and skipped;
    /// a pair given twice keeps its smaller distance.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">A node index is outside [0, <paramref name="nodeCount"/>) or a distance of two different nodes is below 1.</exception>
    public static TransitiveClosure FromPairs(int nodeCount, IEnumerable<MatchedPair> pairs)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(nodeCount);
        var byQuery = new SortedDictionary<int, int>[nodeCount];
        foreach (var pair in pairs)
        {
            if ((uint)pair.Query >= (uint)nodeCount || (uint)pair.Document >= (uint)nodeCount)
            {
                throw new ArgumentOutOfRangeException(nameof(pairs), $"pair ({pair.Query}, {pair.Document}) names a node outside [0, {nodeCount})");
            }

            if (pair.Query == pair.Document)
            {
                continue;
            }

            if (pair.Distance < 1)
            {
                throw new ArgumentOutOfRangeException(nameof(pairs), $"pair ({pair.Query}, {pair.Document}) of two different nodes has distance {pair.Distance}; it must be at least 1");
            }

            var ancestors = byQuery[pair.Query] ??= [];
            ancestors[pair.Document] = ancestors.TryGetValue(pair.Document, out int known) ? Math.Min(known, pair.Distance) : pair.Distance;
        }

        int[] offsets = new int[nodeCount + 1];
        var ancestorList = new List<int>();
        var distanceList = new List<int>();
        for (int q = 0; q < nodeCount; q++)
        {
            foreach (var (ancestor, distance) in byQuery[q] ?? [])
            {
                ancestorList.Add(ancestor);
                distanceList.Add(distance);
            }

            offsets[q + 1] = ancestorList.Count;
        }

        return new TransitiveClosure(offsets, [.. ancestorList], [.. distanceList]);
    }

    /// <summary>
    /// What the pairs imply: the transitive closure of the pairs read as (child, ancestor) edges, so S(q) holds every
    /// document that a chain of pairs leads to from q. A distance is the smallest sum of pair distances along such a
    /// chain, so a hierarchy's parent edges (or all its pairs) give back its closure.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">As <see cref="FromPairs"/>.</exception>
    public static TransitiveClosure Implied(int nodeCount, IEnumerable<MatchedPair> pairs)
    {
        var direct = FromPairs(nodeCount, pairs);
        int[] offsets = new int[nodeCount + 1];
        var ancestors = new List<int>();
        var distances = new List<int>();
        int[] best = new int[nodeCount];
        Array.Fill(best, int.MaxValue);
        var reached = new List<int>();
        var queue = new PriorityQueue<int, int>();
        for (int q = 0; q < nodeCount; q++)
        {
            best[q] = 0;
            reached.Add(q);
            queue.Enqueue(q, 0);
            while (queue.TryDequeue(out int node, out int distance))
            {
                if (distance > best[node])
                {
                    continue;
                }

                var next = direct.AncestorsOf(node);
                var steps = direct.DistancesOf(node);
                for (int i = 0; i < next.Length; i++)
                {
                    int candidate = distance + steps[i];
                    if (candidate < best[next[i]])
                    {
                        if (best[next[i]] == int.MaxValue)
                        {
                            reached.Add(next[i]);
                        }

                        best[next[i]] = candidate;
                        queue.Enqueue(next[i], candidate);
                    }
                }
            }

            reached.Sort();
            foreach (int node in reached)
            {
                if (node != q)
                {
                    ancestors.Add(node);
                    distances.Add(best[node]);
                }

                best[node] = int.MaxValue;
            }

            reached.Clear();
            offsets[q + 1] = ancestors.Count;
        }

        return new TransitiveClosure(offsets, [.. ancestors], [.. distances]);
    }

    /// <summary>Breadth-first search up the parent edges from every node.</summary>
    internal static TransitiveClosure Compute(ParentGraph graph)
    {
        int n = graph.NodeCount;
        int[] offsets = new int[n + 1];
        var ancestors = new List<int>(n * 4);
        var distances = new List<int>(n * 4);
        int[] seen = new int[n];
        Array.Fill(seen, -1);
        int[] queue = new int[n];
        int[] depth = new int[n];
        for (int q = 0; q < n; q++)
        {
            int head = 0, tail = 0;
            seen[q] = q;
            queue[tail++] = q;
            depth[q] = 0;
            while (head < tail)
            {
                int node = queue[head++];
                foreach (int p in graph.ParentsOf(node))
                {
                    if (seen[p] != q)
                    {
                        seen[p] = q;
                        depth[p] = depth[node] + 1;
                        queue[tail++] = p;
                    }
                }
            }

            int start = ancestors.Count;
            for (int i = 1; i < tail; i++)
            {
                ancestors.Add(queue[i]);
                distances.Add(depth[queue[i]]);
            }

            offsets[q + 1] = ancestors.Count;
            System.Runtime.InteropServices.CollectionsMarshal.AsSpan(ancestors)[start..]
                .Sort(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(distances)[start..]);
        }

        return new TransitiveClosure(offsets, [.. ancestors], [.. distances]);
    }
}
