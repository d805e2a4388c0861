using HierRetrieval.Construction.Reporting;
using HierRetrieval.Data.Datasets;
using HierRetrieval.Data.Pairs;
using HierRetrieval.Evaluation;

namespace HierRetrieval.Construction.Tests;

public class GaussianConstructionTests
{
    [Test]
    public void Build_SmallTreeAtTheoremDimension_PerfectRecall()
    {
        // W=3, H=4: m = 40 nodes, s = 4. d = 8 s ln m ≈ 118 is well inside the theorem's O(s log m).
        var tree = SyntheticHierarchies.PerfectTree(3, 4);

        var embeddings = GaussianConstruction.Build(tree, dimension: 128, seed: 1);
        var metrics = new HierarchyEvaluator().Evaluate(tree.Closure, embeddings, PairSet.All(tree.Closure));

        Assert.That(metrics.Overall, Is.EqualTo(1.0));
        Assert.That(metrics.Min, Is.EqualTo(1.0));
        Assert.That(metrics.MeanAveragePrecision, Is.EqualTo(1.0));
        Assert.That(metrics.MeanRank, Is.EqualTo(1.0));
    }

    [Test]
    public void Build_TinyDimension_RecallFallsShort()
    {
        var tree = SyntheticHierarchies.PerfectTree(3, 4);

        var metrics = new HierarchyEvaluator().Evaluate(tree.Closure, GaussianConstruction.Build(tree, 2, seed: 1), PairSet.All(tree.Closure));

        Assert.That(metrics.Pairs, Is.EqualTo(142));
        Assert.That(metrics.Overall, Is.EqualTo(34.0 / 142), "34 of the 142 pairs in 2 dimensions, far below the 1.0 at 128");
    }

    [Test]
    public void Build_SameSeedSameEmbeddings_UnitNorm()
    {
        var tree = SyntheticHierarchies.PerfectTree(2, 3);

        var a = GaussianConstruction.Build(tree, 16, seed: 3);
        var b = GaussianConstruction.Build(tree, 16, seed: 3);
        var c = GaussianConstruction.Build(tree, 16, seed: 4);

        Assert.That(a.Queries.Values.ToArray(), Is.EqualTo(b.Queries.Values.ToArray()));
        Assert.That(a.Documents.Values.ToArray(), Is.Not.EqualTo(c.Documents.Values.ToArray()));
        for (int i = 0; i < tree.Count; i++)
        {
            Assert.That(System.Numerics.Tensors.TensorPrimitives.Norm(a.Queries.Row(i)), Is.EqualTo(1f).Within(1e-5));
            Assert.That(System.Numerics.Tensors.TensorPrimitives.Norm(a.Documents.Row(i)), Is.EqualTo(1f).Within(1e-5));
        }

        Assert.That(() => GaussianConstruction.Build(tree, 0, 1), Throws.InstanceOf<ArgumentOutOfRangeException>());
    }

    [Test]
    public void Smallest_ReturnsFirstDimensionReachingTarget()
    {
        var tree = SyntheticHierarchies.PerfectTree(2, 5);
        var options = new DimensionSearchOptions { TargetRecall = 0.9, Seeds = 2 };

        var found = DimensionSearch.Smallest(tree, options);

        double RecallAt(int d) => Enumerable.Range(0, 2).Average(seed =>
            new HierarchyEvaluator().Evaluate(tree.Closure, GaussianConstruction.Build(tree, d, seed), PairSet.All(tree.Closure)).Overall);
        Assert.That(found.Dimension, Is.EqualTo(42));
        Assert.That(found.Recall, Is.GreaterThanOrEqualTo(0.9));
        Assert.That(found.Recall, Is.EqualTo(RecallAt(found.Dimension)));
        Assert.That(RecallAt(found.Dimension - 1), Is.LessThan(0.9));
    }

    [Test]
    public void Fit_ExactLine_RecoversSlope()
    {
        var fit = LinearFit.Fit([1, 2, 3, 4], [3, 5, 7, 9]);

        Assert.That(fit.Slope, Is.EqualTo(2).Within(1e-12));
        Assert.That(fit.Intercept, Is.EqualTo(1).Within(1e-12));
        Assert.That(fit.RSquared, Is.EqualTo(1).Within(1e-12));
    }

    [Test]
    public void Study_SmallRun_ReportsTablesFitsAndPlot()
    {
        var study = ConstructionStudy.Run(2, [2, 3, 4], 3, [2, 3, 4], new DimensionSearchOptions { Seeds = 1 });

        // Least squares by hand: slope = sum((x - mean x)(y - mean y)) / sum((x - mean x)^2).
        static double Slope(double[] x, double[] y) =>
            x.Zip(y, (a, b) => (a - x.Average()) * (b - y.Average())).Sum() / x.Sum(a => (a - x.Average()) * (a - x.Average()));
        Assert.That(study.ByHeight.Select(p => p.Height), Is.EqualTo(new[] { 2, 3, 4 }));
        Assert.That(study.ByHeight.Select(p => (p.Nodes, p.Dimension)), Is.EqualTo(new[] { (3, 7), (7, 29), (15, 32) }), "W=2: the smallest dimension grows with H");
        Assert.That(study.ByBranching.Select(p => (p.Branching, p.Nodes, p.Dimension)), Is.EqualTo(new[] { (2, 7, 29), (3, 13, 27), (4, 21, 41) }));
        Assert.That(study.HeightFit.Slope, Is.EqualTo(Slope([Math.Log(2), Math.Log(3), Math.Log(4)], [Math.Log(7), Math.Log(29), Math.Log(32)])).Within(1e-12), "log d against log H");
        Assert.That(study.BranchingFit.Slope, Is.EqualTo(Slope([Math.Log(2), Math.Log(3), Math.Log(4)], [29, 27, 41])).Within(1e-12), "d against ln W");
        Assert.That(StudyReport.Markdown(study, "cmd", TimeSpan.FromSeconds(1)), Does.Contain("| 2 | 4 | 15 |"));
        Assert.That(StudyReport.Svg(study), Does.StartWith("<svg").And.Contain("polyline"));
    }
}
