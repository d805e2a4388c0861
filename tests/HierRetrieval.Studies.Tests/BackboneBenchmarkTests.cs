using HierRetrieval.Data.Datasets;
using HierRetrieval.Studies.Benchmarks;

namespace HierRetrieval.Studies.Tests;

public class BackboneBenchmarkTests
{
    [Test]
    public void Run_OnMammalNames_TimesEveryPathOnTheSameTexts()
    {
        var mammals = HierarchyCatalog.Load(HierarchyCatalog.WordNetMammalsName);
        var result = BackboneBenchmark.Run(mammals, new BackboneBenchmarkOptions { Texts = 8, Repeats = 1, Threads = 1 });

        Assert.Multiple(() =>
        {
            Assert.That(result.Texts, Is.EqualTo(8));
            Assert.That(result.MeanTokens, Is.GreaterThan(2.0), "[CLS], at least one word piece, [SEP]");
            Assert.That(new[] { result.TokenizeTextsPerSecond, result.EncoderTextsPerSecond, result.WholePathTextsPerSecond }, Is.All.GreaterThan(0.0));
            Assert.That(result.PackageTextsPerSecond, Is.GreaterThan(0.0), "a packaged encoder is also timed through its package");
        });
    }

    [Test]
    public void Run_HierarchyWithoutText_ReadsIdsAsNames_AndHasNoGlosses()
    {
        var tree = HierarchyCatalog.Load("tree:W=2,H=3");
        var names = BackboneBenchmark.Run(tree, new BackboneBenchmarkOptions { Repeats = 1, Threads = 1 });
        var error = Assert.Throws<ArgumentException>(() => BackboneBenchmark.Run(tree, new BackboneBenchmarkOptions { Text = BenchmarkText.Glosses }));
        Assert.Multiple(() =>
        {
            Assert.That(names.Texts, Is.EqualTo(tree.Count));
            Assert.That(error!.Message, Does.StartWith("no node of the hierarchy has glosses"));
        });
    }
}
