using HierRetrieval.Data.Datasets;
using HierRetrieval.Data.Hierarchies;
using HierRetrieval.Data.Pairs;

namespace HierRetrieval.Data.Tests;

public class TransitiveClosureTests
{
    [Test]
    public void Closure_DagWithShortcut_KeepsShortestDistances()
    {
        // q -> a -> b -> root, plus the shortcut q -> b and a second parent a -> c -> root.
        var builder = new HierarchyBuilder();
        builder.AddEdge("q", "a");
        builder.AddEdge("a", "b");
        builder.AddEdge("b", "root");
        builder.AddEdge("q", "b");
        builder.AddEdge("a", "c");
        builder.AddEdge("c", "root");
        var h = builder.Build();
        var closure = h.Closure;
        int q = h.IndexOf("q");

        Assert.That(closure.Distance(q, q), Is.EqualTo(0));
        Assert.That(closure.Distance(q, h.IndexOf("a")), Is.EqualTo(1));
        Assert.That(closure.Distance(q, h.IndexOf("b")), Is.EqualTo(1));
        Assert.That(closure.Distance(q, h.IndexOf("c")), Is.EqualTo(2));
        Assert.That(closure.Distance(q, h.IndexOf("root")), Is.EqualTo(2));
        Assert.That(closure.Distance(h.IndexOf("root"), q), Is.EqualTo(-1));
        Assert.That(closure.MatchSetSize(q), Is.EqualTo(5));
        Assert.That(closure.PairCount, Is.EqualTo(4 + 3 + 1 + 1));
        Assert.That(h.GetStatistics().MaxDepth, Is.EqualTo(3));
        Assert.That(h.GetStatistics().MultiParentNodes, Is.EqualTo(2));
    }

    [Test]
    public void FromPairs_OfAHierarchysPairs_EqualsItsClosure()
    {
        var tree = SyntheticHierarchies.PerfectTree(branching: 3, height: 3);
        var pairs = PairSet.All(tree.Closure).Pairs.ToArray();
        var rebuilt = TransitiveClosure.FromPairs(tree.Count, pairs.Reverse().Concat(pairs.Take(5).Select(p => p with { Distance = p.Distance + 3 })));

        Assert.That(rebuilt.PairCount, Is.EqualTo(tree.Closure.PairCount));
        for (int q = 0; q < tree.Count; q++)
        {
            Assert.That(rebuilt.AncestorsOf(q).ToArray(), Is.EqualTo(tree.Closure.AncestorsOf(q).ToArray()));
            Assert.That(rebuilt.DistancesOf(q).ToArray(), Is.EqualTo(tree.Closure.DistancesOf(q).ToArray()));
        }
    }

    [Test]
    public void Implied_ChainsThePairs_FromPairsDoesNot()
    {
        // 0 -> 1 -> 2 -> 3 given as the edges plus (0, 2); (0, 3) and (1, 3) follow only by chaining.
        MatchedPair[] pairs = [new(0, 1, 1), new(1, 2, 1), new(2, 3, 1), new(0, 2, 2)];
        var implied = TransitiveClosure.Implied(4, pairs);
        Assert.Multiple(() =>
        {
            Assert.That(TransitiveClosure.FromPairs(4, pairs).IsMatch(0, 3), Is.False);
            Assert.That(implied.AncestorsOf(0).ToArray(), Is.EqualTo(new[] { 1, 2, 3 }));
            Assert.That(implied.DistancesOf(0).ToArray(), Is.EqualTo(new[] { 1, 2, 3 }), "the smallest sum of pair distances along a chain");
            Assert.That(implied.AncestorsOf(1).ToArray(), Is.EqualTo(new[] { 2, 3 }));
            Assert.That(implied.AncestorsOf(3).ToArray(), Is.Empty);
        });
    }

    [Test]
    public void Implied_OfAHierarchysParentEdges_EqualsItsClosure()
    {
        var dag = SyntheticHierarchies.RandomDag(300, 3, seed: 5);
        var edges = PairSet.All(dag.Closure).Pairs.ToArray().Where(p => p.Distance == 1);
        var implied = TransitiveClosure.Implied(dag.Count, edges);
        Assert.That(implied.PairCount, Is.EqualTo(dag.Closure.PairCount));
        for (int q = 0; q < dag.Count; q++)
        {
            Assert.That(implied.AncestorsOf(q).ToArray(), Is.EqualTo(dag.Closure.AncestorsOf(q).ToArray()));
            Assert.That(implied.DistancesOf(q).ToArray(), Is.EqualTo(dag.Closure.DistancesOf(q).ToArray()));
        }
    }

    [Test]
    public void FromPairs_BadPairs_NameThePair()
    {
        Assert.That(() => TransitiveClosure.FromPairs(3, [new MatchedPair(0, 3, 1)]), Throws.InstanceOf<ArgumentOutOfRangeException>().With.Message.Contains("(0, 3)"));
        Assert.That(() => TransitiveClosure.FromPairs(3, [new MatchedPair(0, 1, 0)]), Throws.InstanceOf<ArgumentOutOfRangeException>().With.Message.Contains("distance 0"));
    }

    [Test]
    public void PerfectTree_CountsMatchFormula()
    {
        var tree = SyntheticHierarchies.PerfectTree(branching: 3, height: 4);
        var stats = tree.GetStatistics();

        Assert.That(stats.Nodes, Is.EqualTo(1 + 3 + 9 + 27));
        Assert.That(stats.Leaves, Is.EqualTo(27));
        Assert.That(stats.ClosurePairs, Is.EqualTo(3 + (9 * 2) + (27 * 3)));
        Assert.That(stats.MaxMatchSetSize, Is.EqualTo(4));
        Assert.That(stats.MaxDepth, Is.EqualTo(3));
    }

    [Test]
    public void RandomDag_SameSeedSameGraph_MultiParentAndAcyclic()
    {
        var a = SyntheticHierarchies.RandomDag(500, 3, seed: 11);
        var b = SyntheticHierarchies.RandomDag(500, 3, seed: 11);
        var c = SyntheticHierarchies.RandomDag(500, 3, seed: 12);

        Assert.That(a.GetStatistics(), Is.EqualTo(b.GetStatistics()));
        Assert.That(a.GetStatistics().ClosurePairs, Is.Not.EqualTo(c.GetStatistics().ClosurePairs));
        Assert.That(a.GetStatistics().Edges, Is.EqualTo(681));
        Assert.That(a.GetStatistics().MultiParentNodes, Is.EqualTo(133));
        Assert.That(a.GetStatistics().MaxDepth, Is.EqualTo(17));
        Assert.That(a.GetStatistics().Roots, Is.EqualTo(1));
        Assert.That(a.TopologicalOrder.Length, Is.EqualTo(500));
    }

    [Test]
    public void Subtree_KeepsDescendantsAndDropsExcluded()
    {
        var tree = SyntheticHierarchies.PerfectTree(2, 4);

        var sub = tree.Subtree("r.0", exclude: ["r.0.1.0"]);

        Assert.That(sub.Count, Is.EqualTo(6));
        Assert.That(sub.GetStatistics().Roots, Is.EqualTo(1));
        Assert.That(sub.TryGetIndex("r.0.1.0", out _), Is.False);
    }
}
