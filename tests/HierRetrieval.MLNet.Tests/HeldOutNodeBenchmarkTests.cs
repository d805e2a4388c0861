using HierRetrieval.Data.Datasets;
using HierRetrieval.MLNet.Text;
using HierRetrieval.Training.Towers;
using Microsoft.ML;

namespace HierRetrieval.MLNet.Tests;

public class HeldOutNodeBenchmarkTests
{
    [Test]
    public void TextTowers_RetrieveAncestorsOfUnseenNodes_LookupTablesCannot()
    {
        var mammals = HierarchyCatalog.Load(HierarchyCatalog.WordNetMammalsName);
        var options = new HeldOutNodeOptions
        {
            HeldOutFraction = 0.05,
            Towers = new TextTowerOptions { HiddenSize = 48 },
            Trainer = new HeldOutNodeOptions().Trainer with { Dimension = 24, Steps = 250, FinetuneSteps = 50, FinetuneLearningRate = 3e-4, Threads = 2, Seed = 1 },
        };
        var result = HeldOutNodeBenchmark.Run(new MLContext(seed: 1), mammals, options);
        Assert.Multiple(() =>
        {
            Assert.That(result.HeldOutNodes, Is.EqualTo(59));
            Assert.That(result.Text.Overall, Is.GreaterThan(0.6), "text towers embed nodes they never saw");
            Assert.That(result.LookupTable.Overall, Is.LessThan(0.05), "an untrained table row retrieves nothing");
            Assert.That(result.TextFirstStage, Is.Not.Null);
            Assert.That(() => HeldOutNodeBenchmark.Run(new MLContext(), SyntheticHierarchies.PerfectTree(2, 3), options), Throws.ArgumentException.With.Message.Contains("no node text"));
        });
    }
}
