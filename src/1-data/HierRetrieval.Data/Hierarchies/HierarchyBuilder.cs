namespace HierRetrieval.Data.Hierarchies;

/// <summary>
/// Collects nodes and (child, parent) edges and validates them into a <see cref="Hierarchy"/>.
/// Self-loops are rejected as they are added; duplicate edges are merged and counted; cycles and an
/// empty input are rejected by <see cref="Build"/>.
/// </summary>
public sealed class HierarchyBuilder
{
    private readonly Dictionary<string, int> _indexOf = new(StringComparer.Ordinal);
    private readonly List<string> _ids = [];
    private readonly List<NodeText?> _texts = [];
    private readonly List<(int Child, int Parent, int? Line)> _edges = [];
    private readonly HashSet<long> _edgeKeys = [];

    /// <summary>Creates a builder; <paramref name="sourceName"/> (a file path, say) prefixes every error message.</summary>
    public HierarchyBuilder(string? sourceName = null) => SourceName = sourceName;

    /// <summary>The name of the input used in error messages.</summary>
    public string? SourceName { get; }

    /// <summary>Number of duplicate edges merged so far.</summary>
    public int DuplicateEdgeCount { get; private set; }

    /// <summary>Number of distinct nodes so far.</summary>
    public int NodeCount => _ids.Count;

    /// <summary>Declares a node (idempotent) and returns its index; <paramref name="text"/>, when given, replaces any earlier text.</summary>
    public int AddNode(string id, NodeText? text = null, int? line = null)
    {
        if (string.IsNullOrWhiteSpace(id))
        {
            throw new InvalidHierarchyException("empty node id", SourceName, line);
        }

        if (!_indexOf.TryGetValue(id, out int index))
        {
            index = _ids.Count;
            _indexOf.Add(id, index);
            _ids.Add(id);
            _texts.Add(text);
        }
        else if (text is not null)
        {
            _texts[index] = text;
        }

        return index;
    }

    /// <summary>Adds the edge child -> parent (both nodes are declared if new). Returns false for a merged duplicate.</summary>
    /// <exception cref="InvalidHierarchyException">The edge is a self-loop.</exception>
    public bool AddEdge(string child, string parent, int? line = null)
    {
        if (string.Equals(child, parent, StringComparison.Ordinal))
        {
            throw new InvalidHierarchyException($"self-loop: node '{child}' is its own parent", SourceName, line);
        }

        int c = AddNode(child, line: line);
        int p = AddNode(parent, line: line);
        if (!_edgeKeys.Add(((long)c << 32) | (uint)p))
        {
            DuplicateEdgeCount++;
            return false;
        }

        _edges.Add((c, p, line));
        return true;
    }

    /// <summary>Validates the collected graph and builds the hierarchy.</summary>
    /// <exception cref="InvalidHierarchyException">The input has no nodes or contains a cycle.</exception>
    public Hierarchy Build()
    {
        if (_ids.Count == 0)
        {
            throw new InvalidHierarchyException("empty hierarchy: no nodes or edges", SourceName);
        }

        int n = _ids.Count;
        int[] parentOffsets = new int[n + 1];
        foreach (var (child, _, _) in _edges)
        {
            parentOffsets[child + 1]++;
        }

        for (int i = 0; i < n; i++)
        {
            parentOffsets[i + 1] += parentOffsets[i];
        }

        int[] parents = new int[_edges.Count];
        int[] fill = parentOffsets[..n];
        foreach (var (child, parent, _) in _edges)
        {
            parents[fill[child]++] = parent;
        }

        for (int i = 0; i < n; i++)
        {
            Array.Sort(parents, parentOffsets[i], parentOffsets[i + 1] - parentOffsets[i]);
        }

        var graph = new ParentGraph(parentOffsets, parents);
        int[] order = graph.TopologicalOrder(out int[]? cycle);
        if (cycle is not null)
        {
            throw CycleError(cycle);
        }

        bool hasText = _texts.Exists(t => t is not null);
        NodeText[]? texts = hasText ? _texts.Select(t => t ?? new NodeText([], string.Empty)).ToArray() : null;
        return new Hierarchy(_ids.ToArray(), graph, order, texts, DuplicateEdgeCount);
    }

    private InvalidHierarchyException CycleError(int[] cycle)
    {
        var names = cycle.Select(i => _ids[i]).ToList();
        int? line = null;
        for (int k = 0; k + 1 < cycle.Length && line is null; k++)
        {
            line = _edges.Find(e => e.Child == cycle[k] && e.Parent == cycle[k + 1]).Line;
        }

        return new InvalidHierarchyException($"cycle: {string.Join(" -> ", names)}", SourceName, line, names);
    }
}
