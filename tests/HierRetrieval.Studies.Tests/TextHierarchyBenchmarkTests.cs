using HierRetrieval.Backbones;
using HierRetrieval.Data.Datasets;
using HierRetrieval.Studies.HeldOut;
using HierRetrieval.Training.Recipes;
using HierRetrieval.Training.Towers;
using Microsoft.ML;

namespace HierRetrieval.Studies.Tests;

public class TextHierarchyBenchmarkTests
{
    [Test]
    public void TextTowers_RetrieveAncestorsOfUnseenNodes_LookupTablesCannot()
    {
        var mammals = HierarchyCatalog.Load(HierarchyCatalog.WordNetMammalsName);
        var options = new TextHierarchyBenchmarkOptions
        {
            HeldOutFraction = 0.05,
            Towers = new TextTowerOptions { HiddenSize = 48 },
            Trainer = new TextHierarchyBenchmarkOptions().Trainer with { Dimension = 24, Threads = 2, Seed = 1 },
            FirstStage = new TextHierarchyBenchmarkOptions().FirstStage with { Steps = 250 },
            FinetuneStage = TrainingRecipes.Finetune with { Steps = 50, LearningRate = 3e-4 },
        };
        var result = TextHierarchyBenchmark.Run(new MLContext(seed: 1), mammals, options);
        Assert.Multiple(() =>
        {
            Assert.That(result.TestQueries, Is.EqualTo(59));
            Assert.That(new[] { result.Text, result.TextFirstStage, result.LookupTable }.Select(m => (m?.Queries, m?.Pairs)), Is.All.EqualTo(((int?)59, (long?)334)), "all three models are measured on the same held-out nodes' pairs");
            Assert.That(result.Text.Overall, Is.GreaterThan(0.6), "text towers embed nodes they never saw");
            Assert.That(result.TextFirstStage!.Overall, Is.GreaterThan(0.6), "already after pretraining");
            Assert.That(result.LookupTable.Overall, Is.LessThan(0.05), "an untrained table row retrieves nothing");
        });
    }

    /// <summary>
    /// A pretrained sentence encoder (MiniLM, frozen) under trained heads reads an unseen synset's gloss better than
    /// text towers learned from the training nodes alone: the nearest hypernym (D1) above all.
    /// </summary>
    [Test]
    public void BackboneHeads_RetrieveAncestorsOfUnseenNodes_BetterThanTextTowersFromScratch()
    {
        var mammals = HierarchyCatalog.Load(HierarchyCatalog.WordNetMammalsName);
        var scratch = new TextHierarchyBenchmarkOptions
        {
            HeldOutFraction = 0.05,
            Towers = new TextTowerOptions { HiddenSize = 48 },
            Trainer = new TextHierarchyBenchmarkOptions().Trainer with { Dimension = 24, Threads = 1, Seed = 1 },
            FirstStage = new TextHierarchyBenchmarkOptions().FirstStage with { Steps = 600 },
            FinetuneStage = TrainingRecipes.Finetune with { Steps = 50, LearningRate = 3e-4 },
        };
        var backbone = scratch with { Backbone = PackagedSentenceEncoders.Get(PackagedSentenceEncoders.MiniLM) };

        var fromScratch = TextHierarchyBenchmark.Run(new MLContext(seed: 1), mammals, scratch);
        var withBackbone = TextHierarchyBenchmark.Run(new MLContext(seed: 1), mammals, backbone);
        var (scratchText, heads, zeroShot) = (fromScratch.Text, withBackbone.Text, withBackbone.ZeroShot!);
        TestContext.Out.WriteLine($"D1 / overall: from scratch {scratchText.RecallByDistance[1]:P1} / {scratchText.Overall:P1}; MiniLM + heads {heads.RecallByDistance[1]:P1} / {heads.Overall:P1}; MiniLM zero-shot {zeroShot.RecallByDistance[1]:P1} / {zeroShot.Overall:P1}");
        Assert.Multiple(() =>
        {
            Assert.That(new[] { heads.Pairs, zeroShot.Pairs }, Is.All.EqualTo(scratchText.Pairs), "the same held-out nodes");
            Assert.That(fromScratch.ZeroShot, Is.Null, "no backbone, no zero-shot row");
            Assert.That(heads.RecallByDistance[1], Is.GreaterThan(scratchText.RecallByDistance[1]), "the nearest hypernym of more unseen nodes");
            Assert.That(heads.Overall, Is.GreaterThan(scratchText.Overall));
            Assert.That(heads.Overall, Is.GreaterThan(zeroShot.Overall), "training the heads adds to the pretrained encoder");
            Assert.That(fromScratch.NeighbourLookupTable, Is.Null, "no backbone, no neighbours");
            Assert.That(withBackbone.NeighbourLookupTable!.Overall, Is.GreaterThan(withBackbone.LookupTable.Overall + 0.5), "an unseen node's rows borrowed from its nearest seen node by gloss retrieve most of its ancestors");
        });
    }

    /// <summary>
    /// Under the pair split every node is seen, but a held-out parent link leaves nothing in a lookup table that tells
    /// the parent from its siblings; a node's gloss usually names its parent, so text towers find it.
    /// </summary>
    [Test]
    public void UnderThePairSplit_TextTowers_FindHeldOutParents_BetterThanLookupTables()
    {
        var mammals = HierarchyCatalog.Load(HierarchyCatalog.WordNetMammalsName);
        var options = new TextHierarchyBenchmarkOptions
        {
            HeldOut = HeldOutUnit.Pairs,
            HeldOutFraction = 0.1,
            Towers = new TextTowerOptions { HiddenSize = 48 },
            Trainer = new TextHierarchyBenchmarkOptions().Trainer with { Dimension = 24, Threads = 2, Seed = 1 },
            FirstStage = new TextHierarchyBenchmarkOptions().FirstStage with { Steps = 300 },
            FinetuneStage = TrainingRecipes.Finetune with { Steps = 50, LearningRate = 3e-4 },
        };
        var result = TextHierarchyBenchmark.Run(new MLContext(seed: 1), mammals, options);
        TestContext.Out.WriteLine($"text D1 {result.Text.RecallByDistance[1]:P1} overall {result.Text.Overall:P1}; lookup D1 {result.LookupTable.RecallByDistance[1]:P1} overall {result.LookupTable.Overall:P1}");
        Assert.Multiple(() =>
        {
            Assert.That(result.Text.RecallByDistance[1], Is.GreaterThan(result.LookupTable.RecallByDistance[1] + 0.2));
            Assert.That(result.Text.Overall, Is.GreaterThan(0.8));
            Assert.That(() => TextHierarchyBenchmark.Run(new MLContext(), mammals, options with { HeldOutFraction = 0.5 }), Throws.TypeOf<ArgumentOutOfRangeException>());
        });
    }
}
