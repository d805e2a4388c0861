using HierRetrieval.Data.Datasets;
using HierRetrieval.Training.Batching;
using HierRetrieval.Training.Losses;
using static TorchSharp.torch;

namespace HierRetrieval.Training.Tests;

public class LossTests
{
    [Test]
    public void Compute_TwoOrthogonalPairs_MatchesHandComputedCrossEntropy()
    {
        using var queries = tensor(new float[] { 1, 0, 0, 1 }, [2, 2]);
        using var candidates = tensor(new float[] { 1, 0, 0, 1 }, [2, 2]);
        using var loss = new InBatchSoftmaxLoss(2.0).Compute(queries, candidates, null);

        // logits = 2 x identity: each row's loss is -log(e^2 / (e^2 + e^0)) = log(1 + e^-2).
        Assert.That(loss.item<float>(), Is.EqualTo(Math.Log(1 + Math.Exp(-2))).Within(1e-6));
    }

    [Test]
    public void Compute_DivisorConvention_DividesTheCosine()
    {
        using var queries = tensor(new float[] { 1, 0, 0, 1 }, [2, 2]);
        using var candidates = tensor(new float[] { 1, 0, 0, 1 }, [2, 2]);
        using var loss = new InBatchSoftmaxLoss(0.5, TemperatureConvention.Divisor).Compute(queries, candidates, null);
        Assert.That(loss.item<float>(), Is.EqualTo(Math.Log(1 + Math.Exp(-2))).Within(1e-6));
    }

    [Test]
    public void Compute_MaskedNegative_NoLongerCounts()
    {
        // Query 0 equally close to both candidates: unmasked loss log 2, with candidate 1 masked 0.
        using var queries = tensor(new float[] { 1, 0, 0, 1 }, [2, 2]);
        using var candidates = tensor(new float[] { 1, 0, 1, 0 }, [2, 2]);
        using var mask = tensor(new[] { false, true, false, false }, [2, 2]);
        using var unmaskedRows = new InBatchSoftmaxLoss(1.0).Compute(queries[..1], candidates, null);
        using var maskedRows = new InBatchSoftmaxLoss(1.0).Compute(queries[..1], candidates, mask[..1]);
        Assert.Multiple(() =>
        {
            Assert.That(unmaskedRows.item<float>(), Is.EqualTo(Math.Log(2)).Within(1e-6));
            Assert.That(maskedRows.item<float>(), Is.EqualTo(0).Within(1e-6));
        });
    }

    [Test]
    public void FalseNegativeMask_MarksAncestorsAndDuplicates_NotThePositive()
    {
        // tree W=2, H=3: r; r.0, r.1; r.0.0, r.0.1, r.1.0, r.1.1
        var tree = SyntheticHierarchies.PerfectTree(2, 3);
        int Node(string id) => tree.IndexOf(id);
        int[] queries = [Node("r.0.0"), Node("r.1.1")];
        int[] candidates = [Node("r.0"), Node("r.1"), Node("r"), Node("r.0.1"), Node("r.0")];
        bool[] mask = new bool[queries.Length * candidates.Length];
        int masked = new FalseNegativeMask(new ClosureMatchSets(tree.Closure), tree.Count).Build(queries, candidates, mask);
        Assert.Multiple(() =>
        {
            // r.0.0: positive r.0 at 0 kept; r (ancestor) at 2 and the duplicate r.0 at 4 masked; r.1 and r.0.1 stay negatives.
            Assert.That(mask[..5], Is.EqualTo(new[] { false, false, true, false, true }));
            // r.1.1: positive r.1 at 1 kept; r at 2 masked.
            Assert.That(mask[5..], Is.EqualTo(new[] { false, false, true, false, false }));
            Assert.That(masked, Is.EqualTo(3));
        });
    }

    [Test]
    public void NeighbourNegativeSampler_DrawsSiblingsAndUncles_NeverMatches()
    {
        var tree = SyntheticHierarchies.PerfectTree(2, 3);
        var sampler = new NeighbourNegativeSampler(tree.Closure);
        var random = new Random(5);
        var drawn = Enumerable.Range(0, 200).Select(_ => tree.IdOf(sampler.Sample(tree.IndexOf("r.0.0"), random))).ToHashSet();
        Assert.That(drawn, Is.EquivalentTo(new[] { "r.0.1", "r.1" }), "children of r.0 and of r that are not r.0.0's matches");
    }
}
