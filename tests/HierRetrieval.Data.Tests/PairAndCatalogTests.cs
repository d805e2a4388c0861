using HierRetrieval.Data.Datasets;
using HierRetrieval.Data.Pairs;

namespace HierRetrieval.Data.Tests;

public class PairAndCatalogTests
{
    [Test]
    public void Split_SameSeed_SameSplitAndSelfPairsInTraining()
    {
        var closure = SyntheticHierarchies.RandomDag(300, 2, seed: 1).Closure;
        var options = new PairSplitOptions { ValidationFraction = 0.1, TestFraction = 0.2, Seed = 7 };

        var a = PairSplitter.Split(closure, options);
        var b = PairSplitter.Split(closure, options);
        var c = PairSplitter.Split(closure, options with { Seed = 8 });

        Assert.That(a.Test.Pairs.ToArray(), Is.EqualTo(b.Test.Pairs.ToArray()));
        Assert.That(a.Test.Pairs.ToArray(), Is.Not.EqualTo(c.Test.Pairs.ToArray()));
        Assert.That(a.Test.Pairs.ToArray().Any(p => p.Distance == 0), Is.False);
        Assert.That(a.Train.Pairs.ToArray().Count(p => p.Distance == 0), Is.EqualTo(300));
        long others = closure.PairCount;
        Assert.That(a.Validation.Count, Is.EqualTo((int)Math.Round(others * 0.1)));
        Assert.That(a.Test.Count, Is.EqualTo((int)Math.Round(others * 0.2)));
        var all = a.Train.Pairs.ToArray().Concat(a.Validation.Pairs.ToArray()).Concat(a.Test.Pairs.ToArray()).ToList();
        Assert.That(all, Is.Unique);
        Assert.That(all, Has.Count.EqualTo(others + 300));
    }

    [Test]
    public void Split_SelfPairsSplitOrExcluded_FollowsPolicy()
    {
        var closure = SyntheticHierarchies.PerfectTree(3, 4).Closure;

        var split = PairSplitter.Split(closure, new PairSplitOptions { SelfPairs = SelfPairPolicy.Split, TestFraction = 0.5, Seed = 1 });
        var excluded = PairSplitter.Split(closure, new PairSplitOptions { SelfPairs = SelfPairPolicy.Exclude });

        Assert.That(split.Test.Pairs.ToArray().Any(p => p.Distance == 0), Is.True);
        Assert.That(excluded.Train.Count + excluded.Validation.Count + excluded.Test.Count, Is.EqualTo(closure.PairCount));
        Assert.That(() => PairSplitter.Split(closure, new PairSplitOptions { TestFraction = 0.7, ValidationFraction = 0.4 }), Throws.InstanceOf<ArgumentOutOfRangeException>());
    }

    [Test]
    public void PartitionByDistance_SplitsAtThreshold()
    {
        var pairs = PairSet.All(SyntheticHierarchies.PerfectTree(2, 5).Closure);

        var (near, far) = pairs.PartitionByDistance(2);

        Assert.That(near.Pairs.ToArray().All(p => p.Distance < 2), Is.True);
        Assert.That(far.Pairs.ToArray().All(p => p.Distance >= 2), Is.True);
        Assert.That(near.Count + far.Count, Is.EqualTo(pairs.Count));
        Assert.That(far.CountByDistance().Keys, Is.EqualTo(new[] { 2, 3, 4 }));
    }

    [Test]
    public void Load_SyntheticSpecs_BuildTheirHierarchies()
    {
        Assert.That(HierarchyCatalog.Load("tree:W=5,H=4").Count, Is.EqualTo(156));
        Assert.That(HierarchyCatalog.Load("dag:N=100,P=3,seed=2").Count, Is.EqualTo(100));
    }

    [TestCase("tree:W=5", "lacks H=<number>")]
    [TestCase("tree:W=5,H=x", "'H=x'")]
    [TestCase("tree:W=2.5,H=3", "must be an integer")]
    [TestCase("dag:N=10,P=2,q=3", "'q=3'")]
    [TestCase("no-such-hierarchy", "not a built-in name")]
    public void Load_BadArgument_ExplainsWhy(string argument, string reason)
    {
        Assert.That(() => HierarchyCatalog.Load(argument), Throws.ArgumentException.With.Message.Contains(reason));
    }
}
