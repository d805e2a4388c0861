using System.Text.Json;
using HierRetrieval.Data.Datasets;
using HierRetrieval.Data.Pairs;
using HierRetrieval.Evaluation;
using HierRetrieval.Runs.Models;
using HierRetrieval.Runs.Outputs;
using HierRetrieval.Runs.Splits;
using HierRetrieval.Tests.Shared;
using HierRetrieval.Training;
using HierRetrieval.Training.Recipes;

namespace HierRetrieval.Runs.Tests;

public class TrainingRunTests
{
    private static readonly Data.Hierarchies.Hierarchy Mammals = HierarchyCatalog.Load(HierarchyCatalog.WordNetMammalsName);

    private static TrainingRunOptions Options(string? folder = null) => new()
    {
        Trainer = new DualEncoderTrainerOptions
        {
            Dimension = 8,
            Stages = TrainingRecipes.Create(
                TrainingRecipe.PretrainFinetune,
                TrainingRecipes.Pretrain with { Steps = 60, ValidationInterval = 30 },
                TrainingRecipes.Finetune with { Steps = 20, ValidationInterval = 10 }),
            BatchSize = 128,
            RandomNegatives = 128,
            Threads = 2,
            Seed = 4,
        },
        Recipe = "pretrain-finetune",
        OutputFolder = folder,
        TopK = 5,
        Test = new HierarchyEvaluatorOptions { Threads = 2, DistanceBucketCap = 8 },
    };

    private static RunInput Input() => RunInput.ForHierarchy("wordnet-mammals", Mammals, new PairSplitPolicy(new PairSplitOptions { Seed = 4 }));

    [Test]
    public void OutputFolder_HoldsTheModelStagesCurveMetricsAndManifest()
    {
        using var folder = new TempFolder();
        var result = new TrainingRun(Options(folder.Path)).Train(Input());
        var manifest = JsonDocument.Parse(File.ReadAllText(Path.Combine(folder.Path, RunFolder.Manifest))).RootElement;
        string[] files = [.. manifest.GetProperty("files").EnumerateArray().Select(f => f.GetString()!)];
        var saved = TrainedModel.Load(folder.Path);
        Assert.Multiple(() =>
        {
            Assert.That(files, Is.EqualTo(new[]
            {
                "checkpoint.bin", "embeddings.bin", "embeddings.pretrain.bin", "model.zip", "test-metrics.json", "test-metrics.pretrain.json", "training-curve.csv", "training-curve.svg",
            }));
            Assert.That(files.Select(f => File.Exists(Path.Combine(folder.Path, f))), Is.All.True);
            Assert.That(saved.Embeddings.Queries.Values.ToArray(), Is.EqualTo(result.Embeddings.Queries.Values.ToArray()));
            Assert.That(saved.Manifest.Recipe, Is.EqualTo("pretrain-finetune"));
            Assert.That(manifest.GetProperty("test").GetProperty("overall").GetDouble(), Is.EqualTo(result.Test!.Overall));
            Assert.That(manifest.GetProperty("stages").GetArrayLength(), Is.EqualTo(2));
            Assert.That(result.EarlierStages.Single().Stage.Name, Is.EqualTo("pretrain"));
        });
    }

    [Test]
    public void StoppedInFinetuning_RunAgain_ResumesFromTheFolder_AndReportsThePretrainingModelFromIt()
    {
        var uninterrupted = new TrainingRun(Options()).Train(Input());
        using var folder = new TempFolder();
        using var stop = new CancellationTokenSource();
        var stopInFinetuning = new Recorder(p =>
        {
            if (p.Stage == "finetune" && p.StageStep == 5)
            {
                stop.Cancel();
            }
        });
        Assert.Throws<OperationCanceledException>(() => new TrainingRun(Options(folder.Path)).Train(Input(), stopInFinetuning, stop.Token));
        var resumed = new TrainingRun(Options(folder.Path)).Train(Input());
        Assert.Multiple(() =>
        {
            Assert.That(resumed.Training.StepsRun, Is.EqualTo(15), "only the remaining finetuning steps run");
            Assert.That(resumed.Embeddings.Documents.Values.ToArray(), Is.EqualTo(uninterrupted.Embeddings.Documents.Values.ToArray()));
            Assert.That(resumed.EarlierStages.Single().Test!.Overall, Is.EqualTo(uninterrupted.EarlierStages.Single().Test!.Overall), "read back from embeddings.pretrain.bin");
        });
    }

    [Test]
    public void NodeSplit_HeldOutNodesAreInNoTrainingOrValidationPair_AndTestOnlyTheirAncestors()
    {
        var split = new NodeSplitPolicy(HeldOutFraction: 0.1, ValidationFraction: 0.05, Seed: 2).Apply(Mammals.Closure);
        var heldOut = split.HeldOutNodes;
        bool Touches(MatchedPair p) => heldOut.Contains(p.Query) || heldOut.Contains(p.Document);
        Assert.Multiple(() =>
        {
            Assert.That(heldOut, Has.Count.EqualTo((int)Math.Round(Enumerable.Range(0, Mammals.Count).Count(n => Mammals.Closure.MatchSetSize(n) > 1) * 0.1)));
            Assert.That(split.Split.Train.Pairs.ToArray().Count(Touches), Is.Zero);
            Assert.That(split.Split.Validation.Pairs.ToArray().Count(Touches), Is.Zero);
            Assert.That(heldOut.Sum(n => split.TrainingClosure.AncestorsOf(n).Length), Is.Zero, "masking does not know them either");
            Assert.That(split.Split.Test.Queries(), Is.EquivalentTo(heldOut));
            Assert.That(split.Split.Test.Count, Is.EqualTo(heldOut.Sum(n => Mammals.Closure.AncestorsOf(n).Length)));
        });
    }

    [Test]
    public void KnownHeldOutSplit_KeepsTheHeldOutPairsOutOfTrainingAndValidation_ButKnown()
    {
        var all = PairSet.All(Mammals.Closure, includeSelf: false).Pairs.ToArray();
        MatchedPair[] heldOut = [.. all.Where((_, i) => i % 10 == 0)];
        var split = new KnownHeldOutSplitPolicy(heldOut, ValidationFraction: 0.05, Seed: 1).Apply(Mammals.Closure);
        var held = heldOut.Select(p => (p.Query, p.Document)).ToHashSet();
        Assert.Multiple(() =>
        {
            Assert.That(split.Split.Train.Pairs.ToArray().Count(p => held.Contains((p.Query, p.Document))), Is.Zero);
            Assert.That(split.Split.Validation.Pairs.ToArray().Count(p => held.Contains((p.Query, p.Document))), Is.Zero);
            Assert.That(split.TrainingClosure.PairCount, Is.EqualTo(Mammals.Closure.PairCount), "masking knows every match");
            Assert.That(split.Split.Test.Count, Is.Zero);
            Assert.That(split.Split.Train.Count + split.Split.Validation.Count, Is.EqualTo(all.Length - heldOut.Length + Mammals.Count), "every other pair, self pairs included, is trained or validated");
        });
    }

    private sealed class Recorder(Action<TrainingProgress> report) : IProgress<TrainingProgress>
    {
        public void Report(TrainingProgress value) => report(value);
    }
}
