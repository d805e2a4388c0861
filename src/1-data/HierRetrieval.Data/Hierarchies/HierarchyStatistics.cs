namespace HierRetrieval.Data.Hierarchies;

/// <summary>Counts that describe a hierarchy.</summary>
/// <param name="Nodes">Number of nodes.</param>
/// <param name="Edges">Number of distinct (child, parent) edges.</param>
/// <param name="DuplicateEdges">Duplicate edges merged while reading.</param>
/// <param name="ClosurePairs">(child, ancestor) pairs of the transitive closure, self pairs not counted.</param>
/// <param name="MultiParentNodes">Nodes with more than one parent.</param>
/// <param name="Roots">Nodes without parents.</param>
/// <param name="Leaves">Nodes without children.</param>
/// <param name="MaxDepth">Edges on the longest child -> parent path (a chain of MaxDepth + 1 nodes).</param>
/// <param name="MaxDistance">Largest shortest-path distance of a (child, ancestor) pair.</param>
/// <param name="MaxMatchSetSize">Largest match set |S(q)| = 1 + number of ancestors.</param>
public sealed record HierarchyStatistics(
    int Nodes,
    int Edges,
    int DuplicateEdges,
    long ClosurePairs,
    int MultiParentNodes,
    int Roots,
    int Leaves,
    int MaxDepth,
    int MaxDistance,
    int MaxMatchSetSize);
