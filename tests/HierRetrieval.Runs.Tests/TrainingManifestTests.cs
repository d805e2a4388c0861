using System.Text.Json;
using HierRetrieval.Data.Datasets;
using HierRetrieval.Data.Pairs;
using HierRetrieval.Evaluation;
using HierRetrieval.Runs.Models;
using HierRetrieval.Runs.Splits;
using HierRetrieval.Runs.Validation;
using HierRetrieval.Tests.Shared;
using HierRetrieval.Training;
using HierRetrieval.Training.Recipes;

namespace HierRetrieval.Runs.Tests;

public class TrainingManifestTests
{
    private static readonly Data.Hierarchies.Hierarchy Mammals = HierarchyCatalog.Load(HierarchyCatalog.WordNetMammalsName);

    [Test]
    public void PairSplitPolicy_NearFraction_ThinsOnlyTheTrainingPairs()
    {
        var pairs = new PairSplitOptions { Seed = 1 };
        var full = new PairSplitPolicy(pairs).Apply(Mammals.Closure).Split;
        var thinned = new PairSplitPolicy(pairs) { NearFraction = 0.25, FarThreshold = 3, ThinningSeed = 3 }.Apply(Mammals.Closure).Split;
        Assert.Multiple(() =>
        {
            Assert.That(thinned.Test.Pairs.ToArray(), Is.EqualTo(full.Test.Pairs.ToArray()));
            Assert.That(thinned.Train.Pairs.ToArray(), Is.EqualTo(full.Train.ThinNear(3, 0.25, 3).Pairs.ToArray()));
            Assert.That(thinned.Train.Count, Is.LessThan(full.Train.Count));
        });
    }

    [Test]
    public void Manifest_JsonRoundTrip_KeepsStagesSplitAndValidation()
    {
        var options = new DualEncoderTrainerOptions
        {
            Dimension = 12,
            Stages = TrainingRecipes.Create(TrainingRecipe.NearThenFar, TrainingRecipes.Pretrain with { Steps = 77 }),
            Seed = 5,
        };
        var manifest = new TrainingManifest("wordnet-mammals", options, new NodeSplitPolicy(0.1, 0.05, 5)) { Recipe = "near-then-far", Validation = new ValidationOptions { Queries = 9, DistanceCap = null } };
        var read = TrainingManifest.FromJson(manifest.ToJson(), "test");
        Assert.Multiple(() =>
        {
            Assert.That(read.Options.Stages, Is.EqualTo(options.Stages));
            Assert.That(read.Options with { Stages = options.Stages }, Is.EqualTo(options));
            Assert.That(read.Split, Is.EqualTo(manifest.Split));
            Assert.That(read.Validation, Is.EqualTo(manifest.Validation));
            Assert.That(read.Recipe, Is.EqualTo("near-then-far"));
        });
    }

    [Test]
    public void ModelSavedBeforeStageLists_LoadsWithTheStagesItRan_AndItsTestSplitGivesTheSameMetrics()
    {
        var model = TrainedModel.Load(Repository.Fixture("saved-models/lookup"));
        var manifest = model.Manifest;
        var expected = JsonDocument.Parse(File.ReadAllText(Repository.Fixture("saved-models/lookup/lookup-eval.json"))).RootElement;
        var metrics = new HierarchyEvaluator(new HierarchyEvaluatorOptions { DistanceBucketCap = 8 })
            .Evaluate(Mammals.Closure, model.EmbeddingsFor(Mammals), manifest.SplitPairs(Mammals.Closure).Test);
        Assert.Multiple(() =>
        {
            Assert.That(manifest.Hierarchy, Is.EqualTo("wordnet-mammals"));
            Assert.That(manifest.Recipe, Is.EqualTo("pretrain-finetune"));
            Assert.That(manifest.Options.Dimension, Is.EqualTo(8));
            Assert.That(manifest.Options.BatchSize, Is.EqualTo(128));
            Assert.That(manifest.Options.Stages, Is.EqualTo(new[]
            {
                TrainingRecipes.Pretrain with { Steps = 200, ValidationInterval = 100 },
                TrainingRecipes.Finetune with { Steps = 20, ValidationInterval = 10 },
            }));
            Assert.That(manifest.Split, Is.EqualTo(new PairSplitPolicy(new PairSplitOptions()) { FarThreshold = 3 }));
            Assert.That(manifest.Validation, Is.EqualTo(new ValidationOptions()));
            Assert.That(metrics.Pairs, Is.EqualTo(expected.GetProperty("pairs").GetInt64()));
            Assert.That(metrics.Overall, Is.EqualTo(expected.GetProperty("overall").GetDouble()));
            Assert.That(metrics.MeanAveragePrecision, Is.EqualTo(expected.GetProperty("map").GetDouble()));
        });
    }

    [Test]
    public void ModelFile_RandomMutations_LoadTheSameModelOrAreRefusedNamingTheFile()
    {
        using var folder = new TempFolder();
        string path = Path.Combine(folder.Path, TrainedModel.FileName);
        var original = TrainedModel.Load(Repository.Fixture("saved-models/lookup"));
        original.Save(path);
        byte[] valid = File.ReadAllBytes(path);
        Fuzz.Mutations_Of(valid, cases: 200, seed: 41, input =>
        {
            File.WriteAllBytes(path, input);
            try
            {
                var loaded = TrainedModel.Load(path);
                Assert.That(loaded.Embeddings.Documents.Values.ToArray(), Is.EqualTo(original.Embeddings.Documents.Values.ToArray()));
            }
            catch (InvalidDataException e)
            {
                Assert.That(e.Message, Does.StartWith(path + ": "));
            }
        });
    }
}
