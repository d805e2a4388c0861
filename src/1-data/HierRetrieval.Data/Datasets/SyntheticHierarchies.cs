using System.Globalization;
using HierRetrieval.Data.Hierarchies;

namespace HierRetrieval.Data.Datasets;

/// <summary>Generators of synthetic hierarchies: perfect trees and seeded random DAGs.</summary>
public static class SyntheticHierarchies
{
    /// <summary>
    /// A perfect tree with branching factor <paramref name="branching"/> (W) and <paramref name="height"/> (H) levels:
    /// W^(H-1) leaves, each with a match set of H nodes. Node ids are paths: <c>r</c>, <c>r.0</c>, <c>r.0.1</c>, ...
    /// </summary>
    public static Hierarchy PerfectTree(int branching, int height)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(branching, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(height, 1);
        double nodes = (branching == 1 ? height : (Math.Pow(branching, height) - 1) / (branching - 1));
        if (nodes > 50_000_000)
        {
            throw new ArgumentOutOfRangeException(nameof(height), $"a perfect tree with W={branching}, H={height} has {nodes:E2} nodes; at most 5e7 are supported");
        }

        var builder = new HierarchyBuilder();
        var level = new List<string> { "r" };
        builder.AddNode("r");
        for (int depth = 1; depth < height; depth++)
        {
            var next = new List<string>(level.Count * branching);
            foreach (string parent in level)
            {
                for (int c = 0; c < branching; c++)
                {
                    string child = string.Create(CultureInfo.InvariantCulture, $"{parent}.{c}");
                    builder.AddEdge(child, parent);
                    next.Add(child);
                }
            }

            level = next;
        }

        return builder.Build();
    }

    /// <summary>
    /// A random DAG of <paramref name="nodes"/> nodes <c>d0</c>..: node 0 is the root; every later node takes a first
    /// parent uniformly among the earlier nodes (so depths are uneven), and with probability
    /// <paramref name="extraParentProbability"/> up to <paramref name="maxParents"/>-1 further distinct parents.
    /// </summary>
    public static Hierarchy RandomDag(int nodes, int maxParents, int seed, double extraParentProbability = 0.3)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(nodes, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxParents, 1);
        if (extraParentProbability is < 0 or > 1)
        {
            throw new ArgumentOutOfRangeException(nameof(extraParentProbability), "must be in [0, 1]");
        }

        var random = new Random(seed);
        var builder = new HierarchyBuilder();
        builder.AddNode("d0");
        for (int i = 1; i < nodes; i++)
        {
            string id = string.Create(CultureInfo.InvariantCulture, $"d{i}");
            int parentCount = 1;
            while (parentCount < Math.Min(maxParents, i) && random.NextDouble() < extraParentProbability)
            {
                parentCount++;
            }

            var parents = new HashSet<int>();
            while (parents.Count < parentCount)
            {
                parents.Add(random.Next(i));
            }

            foreach (int p in parents.Order())
            {
                builder.AddEdge(id, string.Create(CultureInfo.InvariantCulture, $"d{p}"));
            }
        }

        return builder.Build();
    }
}
