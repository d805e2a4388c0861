namespace HierRetrieval.Data.Hierarchies;

/// <summary>
/// An immutable directed acyclic graph of nodes with string ids, edges pointing from child to parent.
/// Nodes are numbered 0..<see cref="Count"/>-1 in the order they were first declared. Build one with
/// <see cref="HierarchyBuilder"/> or a reader in <c>HierRetrieval.Data.Datasets</c>.
/// </summary>
public sealed class Hierarchy
{
    private readonly string[] _ids;
    private readonly Dictionary<string, int> _indexOf;
    private readonly ParentGraph _parents;
    private readonly ParentGraph _children;
    private readonly int[] _topologicalOrder;
    private readonly NodeText[]? _texts;
    private readonly Lazy<TransitiveClosure> _closure;

    internal Hierarchy(string[] ids, ParentGraph parents, int[] topologicalOrder, NodeText[]? texts, int duplicateEdgeCount)
    {
        _ids = ids;
        _indexOf = new Dictionary<string, int>(ids.Length, StringComparer.Ordinal);
        for (int i = 0; i < ids.Length; i++)
        {
            _indexOf.Add(ids[i], i);
        }

        _parents = parents;
        _children = parents.Reverse();
        _topologicalOrder = topologicalOrder;
        _texts = texts;
        DuplicateEdgeCount = duplicateEdgeCount;
        _closure = new Lazy<TransitiveClosure>(() => TransitiveClosure.Compute(_parents));
    }

    /// <summary>Number of nodes.</summary>
    public int Count => _ids.Length;

    internal ParentGraph Parents => _parents;

    /// <summary>Number of distinct (child, parent) edges.</summary>
    public int EdgeCount => _parents.EdgeCount;

    /// <summary>Number of duplicate edges that were merged while building.</summary>
    public int DuplicateEdgeCount { get; }

    /// <summary>Node ids by index.</summary>
    public IReadOnlyList<string> Ids => _ids;

    /// <summary>Whether nodes carry <see cref="NodeText"/> (WordNet does; a plain edge list does not).</summary>
    public bool HasText => _texts is not null;

    /// <summary>The transitive closure (computed on first use, then cached).</summary>
    public TransitiveClosure Closure => _closure.Value;

    /// <summary>The id of node <paramref name="node"/>.</summary>
    public string IdOf(int node) => _ids[node];

    /// <summary>The index of the node with id <paramref name="id"/>.</summary>
    /// <exception cref="KeyNotFoundException">No node has that id.</exception>
    public int IndexOf(string id) =>
        _indexOf.TryGetValue(id, out int index) ? index : throw new KeyNotFoundException($"no node with id '{id}'");

    /// <summary>Looks up a node index by id.</summary>
    public bool TryGetIndex(string id, out int index) => _indexOf.TryGetValue(id, out index);

    /// <summary>The direct parents of a node, in ascending index order.</summary>
    public ReadOnlySpan<int> ParentsOf(int node) => _parents.ParentsOf(node);

    /// <summary>The direct children of a node, in ascending index order.</summary>
    public ReadOnlySpan<int> ChildrenOf(int node) => _children.ParentsOf(node);

    /// <summary>The text of a node, or null when the hierarchy has none.</summary>
    public NodeText? TextOf(int node) => _texts?[node];

    /// <summary>The text of a node, or its id as its only lemma when the hierarchy has no text (an edge list's node).</summary>
    public NodeText TextOrIdOf(int node) => _texts?[node] ?? new NodeText([_ids[node]], string.Empty);

    /// <summary>The same nodes and edges with <paramref name="texts"/> (row i = node i's text).</summary>
    /// <exception cref="ArgumentException">There is not one text per node.</exception>
    public Hierarchy WithText(IReadOnlyList<NodeText> texts) => texts.Count == Count
        ? new Hierarchy(_ids, _parents, _topologicalOrder, [.. texts], DuplicateEdgeCount)
        : throw new ArgumentException($"{texts.Count} texts for {Count} nodes", nameof(texts));

    /// <summary>Node indexes ordered so that every parent comes before its children.</summary>
    public ReadOnlySpan<int> TopologicalOrder => _topologicalOrder;

    /// <summary>
    /// The sub-hierarchy induced by <paramref name="rootId"/> and all of its descendants, less the nodes in
    /// <paramref name="exclude"/>: edges between kept nodes stay, edges to other nodes are dropped.
    /// </summary>
    public Hierarchy Subtree(string rootId, IEnumerable<string>? exclude = null)
    {
        int root = IndexOf(rootId);
        var keep = new bool[Count];
        var excluded = new HashSet<string>(exclude ?? [], StringComparer.Ordinal);
        var stack = new Stack<int>();
        keep[root] = true;
        stack.Push(root);
        while (stack.Count > 0)
        {
            foreach (int child in ChildrenOf(stack.Pop()))
            {
                if (!keep[child])
                {
                    keep[child] = true;
                    stack.Push(child);
                }
            }
        }

        var builder = new HierarchyBuilder();
        foreach (int node in _topologicalOrder)
        {
            if (!keep[node] || excluded.Contains(_ids[node]))
            {
                keep[node] = false;
                continue;
            }

            builder.AddNode(_ids[node], TextOf(node));
            foreach (int parent in ParentsOf(node))
            {
                if (keep[parent])
                {
                    builder.AddEdge(_ids[node], _ids[parent]);
                }
            }
        }

        return builder.Build();
    }

    /// <summary>Counts and depths that describe the hierarchy; computes the closure if it is not cached yet.</summary>
    public HierarchyStatistics GetStatistics()
    {
        int[] depth = new int[Count];
        int multiParent = 0, roots = 0, leaves = 0;
        foreach (int node in _topologicalOrder)
        {
            var parents = ParentsOf(node);
            foreach (int p in parents)
            {
                depth[node] = Math.Max(depth[node], depth[p] + 1);
            }

            multiParent += parents.Length > 1 ? 1 : 0;
            roots += parents.IsEmpty ? 1 : 0;
            leaves += ChildrenOf(node).IsEmpty ? 1 : 0;
        }

        var closure = Closure;
        return new HierarchyStatistics(
            Nodes: Count,
            Edges: EdgeCount,
            DuplicateEdges: DuplicateEdgeCount,
            ClosurePairs: closure.PairCount,
            MultiParentNodes: multiParent,
            Roots: roots,
            Leaves: leaves,
            MaxDepth: depth.Length == 0 ? 0 : depth.Max(),
            MaxDistance: closure.MaxDistance,
            MaxMatchSetSize: closure.MaxMatchSetSize);
    }
}
