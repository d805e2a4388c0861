namespace HierRetrieval.Data.Hierarchies;

/// <summary>Compressed (CSR) child -> parent adjacency: the parents of node i are Parents[Offsets[i]..Offsets[i+1]).</summary>
internal sealed class ParentGraph(int[] offsets, int[] parents)
{
    public int NodeCount => offsets.Length - 1;

    public int EdgeCount => parents.Length;

    public ReadOnlySpan<int> ParentsOf(int node) => parents.AsSpan(offsets[node], offsets[node + 1] - offsets[node]);

    /// <summary>The reversed graph: parent -> children.</summary>
    public ParentGraph Reverse()
    {
        int n = NodeCount;
        int[] childOffsets = new int[n + 1];
        foreach (int p in parents)
        {
            childOffsets[p + 1]++;
        }

        for (int i = 0; i < n; i++)
        {
            childOffsets[i + 1] += childOffsets[i];
        }

        int[] children = new int[parents.Length];
        int[] fill = childOffsets[..n];
        for (int child = 0; child < n; child++)
        {
            foreach (int p in ParentsOf(child))
            {
                children[fill[p]++] = child;
            }
        }

        return new ParentGraph(childOffsets, children);
    }

    /// <summary>
    /// Orders the nodes so that every parent precedes its children (Kahn's algorithm). When the graph has a
    /// cycle, returns an empty order and sets <paramref name="cycle"/> to the nodes of one cycle, first node repeated last.
    /// </summary>
    public int[] TopologicalOrder(out int[]? cycle)
    {
        int n = NodeCount;
        var children = Reverse();
        int[] pending = new int[n];
        var order = new int[n];
        int head = 0, tail = 0;
        for (int i = 0; i < n; i++)
        {
            pending[i] = offsets[i + 1] - offsets[i];
            if (pending[i] == 0)
            {
                order[tail++] = i;
            }
        }

        while (head < tail)
        {
            int node = order[head++];
            foreach (int child in children.ParentsOf(node))
            {
                if (--pending[child] == 0)
                {
                    order[tail++] = child;
                }
            }
        }

        cycle = tail == n ? null : FindCycle(pending);
        return cycle is null ? order : [];
    }

    /// <summary>Follows parent edges among the nodes left over by Kahn's algorithm until a node repeats.</summary>
    private int[] FindCycle(int[] pending)
    {
        int start = Array.FindIndex(pending, p => p > 0);
        var position = new Dictionary<int, int>();
        var path = new List<int>();
        int node = start;
        while (!position.ContainsKey(node))
        {
            position[node] = path.Count;
            path.Add(node);
            int next = -1;
            foreach (int p in ParentsOf(node))
            {
                if (pending[p] > 0)
                {
                    next = p;
                    break;
                }
            }

            node = next;
        }

        var cycle = path.GetRange(position[node], path.Count - position[node]);
        cycle.Add(node);
        return [.. cycle];
    }
}
