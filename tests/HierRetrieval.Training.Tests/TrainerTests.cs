using HierRetrieval.Data.Datasets;
using HierRetrieval.Data.Hierarchies;
using HierRetrieval.Data.Pairs;
using HierRetrieval.Evaluation;
using HierRetrieval.Runs.Validation;
using HierRetrieval.Training.Batching;
using HierRetrieval.Training.Recipes;
using HierRetrieval.Tests.Shared;

namespace HierRetrieval.Training.Tests;

public class TrainerTests
{
    private static readonly Hierarchy Mammals = HierarchyCatalog.Load(HierarchyCatalog.WordNetMammalsName);
    private static readonly PairSplit MammalSplit = PairSplitter.Split(Mammals.Closure, new PairSplitOptions { Seed = 1 });

    /// <summary>300 steps validated every 100 (then 60 finetuning steps every 20), no patience.</summary>
    internal static readonly StageOptions First = TrainingRecipes.Pretrain with { Steps = 300, ValidationInterval = 100, EarlyStopping = new EarlyStoppingCriterion() };

    internal static readonly StageOptions Finetune = TrainingRecipes.Finetune with { Steps = 60, ValidationInterval = 20, EarlyStopping = new EarlyStoppingCriterion() };

    internal static DualEncoderTrainerOptions Small(TrainingRecipe recipe, StageOptions? first = null, StageOptions? finetune = null) => new()
    {
        Dimension = 16,
        Stages = TrainingRecipes.Create(recipe, first ?? First, finetune ?? Finetune),
        Seed = 3,
        Threads = 2,
        BatchSize = 256,
        RandomNegatives = 256,
    };

    /// <summary>Validation on the split's validation pairs, as a training run sets it up.</summary>
    internal static HierarchyValidator Validator(TransitiveClosure closure, PairSplit split) => new(closure, split.Validation, new ValidationOptions(), seed: 3, threads: 2);

    private static TrainingResult TrainMammals(DualEncoderTrainerOptions options, string? checkpoint = null, IProgress<TrainingProgress>? progress = null, CancellationToken cancellationToken = default, Retrieval.NodeEmbeddings? initial = null) =>
        new DualEncoderTrainer(options).Train(Mammals.Closure, MammalSplit.Train, Validator(Mammals.Closure, MammalSplit), checkpoint, progress, cancellationToken, initial);

    [Test]
    public void Train_Mammals_RecallRisesFarAboveTheUntrainedModel()
    {
        var result = TrainMammals(Small(TrainingRecipe.Standard));
        var test = new HierarchyEvaluator().Evaluate(Mammals.Closure, result.Embeddings, MammalSplit.Test);
        Assert.Multiple(() =>
        {
            Assert.That(result.Curve.Points[0].StageStep, Is.Zero, "the first point is the untrained model");
            Assert.That(result.Curve.Points[0].Overall, Is.LessThan(0.05));
            Assert.That(test.Overall, Is.GreaterThan(0.7), "test recall@|S(q)| after 300 steps");
            Assert.That(result.Stages.Single().StepsRun, Is.EqualTo(300));
        });
    }

    [Test]
    public void Train_SameSeedAndThreads_GivesIdenticalEmbeddings()
    {
        var options = Small(TrainingRecipe.Standard, First with { Steps = 60 });
        var first = TrainMammals(options);
        var second = TrainMammals(options);
        Assert.That(second.Embeddings.Queries.Values.ToArray(), Is.EqualTo(first.Embeddings.Queries.Values.ToArray()));
    }

    [Test]
    public void Train_StoppedAndResumed_EqualsAnUninterruptedRun()
    {
        var options = Small(TrainingRecipe.PretrainFinetune, First with { Steps = 150, ValidationInterval = 50 }, Finetune with { Steps = 40, ValidationInterval = 10 });
        var uninterrupted = TrainMammals(options);

        using var folder = new TempFolder();
        string checkpoint = Path.Combine(folder.Path, "checkpoint.bin");
        using var stop = new CancellationTokenSource();
        var stopInFinetuning = new SynchronousProgress(p =>
        {
            if (p.Stage == "finetune" && p.StageStep == 15)
            {
                stop.Cancel();
            }
        });
        Assert.Throws<OperationCanceledException>(() => TrainMammals(options, checkpoint, stopInFinetuning, stop.Token));
        var resumed = TrainMammals(options, checkpoint);

        Assert.Multiple(() =>
        {
            Assert.That(resumed.Embeddings.Queries.Values.ToArray(), Is.EqualTo(uninterrupted.Embeddings.Queries.Values.ToArray()));
            Assert.That(resumed.Embeddings.Documents.Values.ToArray(), Is.EqualTo(uninterrupted.Embeddings.Documents.Values.ToArray()));
            Assert.That(resumed.Curve.Points.Select(p => p.Overall), Is.EqualTo(uninterrupted.Curve.Points.Select(p => p.Overall)));
            Assert.That(resumed.StepsRun, Is.EqualTo(40 - 15), "the resumed call runs only the remaining finetuning steps");
        });
    }

    [TestCase("pretrain", 75, TestName = "Train_StoppedDuringPretraining_ResumesToTheUninterruptedRun")]
    [TestCase("pretrain", 150, TestName = "Train_StoppedAtTheStageBoundary_ResumesToTheUninterruptedRun")]
    public void Train_StoppedAndResumedAt(string stage, int step)
    {
        var options = Small(TrainingRecipe.PretrainFinetune, First with { Steps = 150, ValidationInterval = 50, EarlyStopping = new EarlyStoppingCriterion { Patience = 2 } }, Finetune with { Steps = 40, ValidationInterval = 10, EarlyStopping = new EarlyStoppingCriterion { Patience = 2 } });
        var uninterrupted = TrainMammals(options);
        using var folder = new TempFolder();
        string checkpoint = Path.Combine(folder.Path, "checkpoint.bin");
        using var stop = new CancellationTokenSource();
        var stopThere = new SynchronousProgress(p =>
        {
            if (p.Stage == stage && p.StageStep == step)
            {
                stop.Cancel();
            }
        });
        Assert.Throws<OperationCanceledException>(() => TrainMammals(options, checkpoint, stopThere, stop.Token));
        var resumed = TrainMammals(options, checkpoint);
        Assert.Multiple(() =>
        {
            Assert.That(resumed.Embeddings.Queries.Values.ToArray(), Is.EqualTo(uninterrupted.Embeddings.Queries.Values.ToArray()));
            Assert.That(resumed.Curve.Points.Select(p => (p.Stage, p.StageStep, p.Overall)), Is.EqualTo(uninterrupted.Curve.Points.Select(p => (p.Stage, p.StageStep, p.Overall))));
            Assert.That(resumed.Stages, Is.EqualTo(uninterrupted.Stages));
        });
    }

    [Test]
    public void Checkpoint_FromOtherSettings_Damaged_OrForeign_IsRefusedNamingTheFileAndTheWayOut()
    {
        var options = Small(TrainingRecipe.Standard, First with { Steps = 20, ValidationInterval = 10 });
        using var folder = new TempFolder();
        string checkpoint = Path.Combine(folder.Path, "checkpoint.bin");
        TrainMammals(options, checkpoint);
        byte[] good = File.ReadAllBytes(checkpoint);
        string Refusal() => Assert.Throws<InvalidDataException>(() => TrainMammals(options, checkpoint))!.Message;

        string otherSettings = Assert.Throws<InvalidDataException>(() => TrainMammals(options with { Seed = 9 }, checkpoint))!.Message;
        byte[] damaged = [.. good];
        damaged[good.Length / 2] ^= 0x10;
        File.WriteAllBytes(checkpoint, damaged);
        string damagedMessage = Refusal();
        File.WriteAllBytes(checkpoint, good[..(good.Length - 100)]);
        string truncated = Refusal();
        File.WriteAllText(checkpoint, "not a checkpoint at all, but long enough to have a footer's worth of bytes");
        string foreign = Refusal();
        Assert.Multiple(() =>
        {
            Assert.That(otherSettings, Is.EqualTo($"{checkpoint}: the checkpoint belongs to a run with other settings or data; use the same settings, or another output folder"));
            Assert.That(damagedMessage, Is.EqualTo($"{checkpoint}: the training checkpoint is damaged (its checksum does not match its contents); delete it to start the run over (or train into another folder)"));
            Assert.That(truncated, Does.StartWith($"{checkpoint}: the training checkpoint has no integrity footer"));
            Assert.That(foreign, Does.StartWith($"{checkpoint}: the training checkpoint has no integrity footer: it is truncated, damaged or not a training checkpoint; delete it"));
        });
    }

    [Test]
    public void Checkpoint_RandomMutations_ResumeOrAreRefusedNamingTheFile()
    {
        var options = Small(TrainingRecipe.Standard, First with { Steps = 10, ValidationInterval = 10 });
        using var folder = new TempFolder();
        string checkpoint = Path.Combine(folder.Path, "checkpoint.bin");
        var finished = TrainMammals(options, checkpoint);
        byte[] valid = File.ReadAllBytes(checkpoint);
        int resumed = 0;
        Fuzz.Mutations_Of(valid, cases: 120, seed: 31, input =>
        {
            File.WriteAllBytes(checkpoint, input);
            try
            {
                var result = TrainMammals(options, checkpoint);
                Assert.That(result.Embeddings.Queries.Values.ToArray(), Is.EqualTo(finished.Embeddings.Queries.Values.ToArray()), "a checkpoint that loads is the one written");
                resumed++;
            }
            catch (InvalidDataException e)
            {
                Assert.That(e.Message, Does.StartWith(checkpoint + ": ").And.Contain("delete it to start the run over"));
            }
        });
        TestContext.Out.WriteLine($"resumed {resumed} of 120");
    }

    [Test]
    public void Train_LossBecomesInfinite_StopsWithAClearMessageAndKeepsTheLastCheckpoint()
    {
        var options = Small(TrainingRecipe.PretrainFinetune, First with { Steps = 50 }, Finetune with { Temperature = 3e38 });
        using var folder = new TempFolder();
        string checkpoint = Path.Combine(folder.Path, "checkpoint.bin");
        byte[]? afterFinetuningStep = null;
        var watch = new SynchronousProgress(p =>
        {
            if (p.Stage == "finetune" && afterFinetuningStep is null)
            {
                afterFinetuningStep = File.ReadAllBytes(checkpoint);
            }
        });

        // Validation runs at each stage's start, so the finetuning stage's first validation sees the checkpoint that ended pretraining.
        var validator = new CheckpointCopyingValidator(Validator(Mammals.Closure, MammalSplit), checkpoint);
        var error = Assert.Throws<TrainingDivergedException>(() => new DualEncoderTrainer(options).Train(Mammals.Closure, MammalSplit.Train, validator, checkpoint, watch));
        Assert.Multiple(() =>
        {
            Assert.That(error!.Message, Does.Contain("finetune step 1").And.Contain("the loss became").And.Contain(checkpoint));
            Assert.That(afterFinetuningStep, Is.Null, "the first finetuning step already diverges");
            Assert.That(validator.Copies.Select(c => c is null), Is.EqualTo(new[] { true, true, false }), "validated at pretraining steps 0 and 50 (no checkpoint yet), then at finetuning step 0");
            Assert.That(File.ReadAllBytes(checkpoint), Is.EqualTo(validator.Copies[^1]), "the checkpoint saved at the end of pretraining is kept, unchanged");
        });
    }

    [Test]
    public void Train_ThresholdAboveEveryDistance_ReportsTheEmptyFarSet()
    {
        var options = Small(TrainingRecipe.PretrainFinetune) with { FarThreshold = 100 };
        var error = Assert.Throws<ArgumentException>(() => TrainMammals(options));
        Assert.That(error!.Message, Does.Contain("no training pair has distance >= 100").And.Contain("the largest is").And.Contain("stage 'finetune'"));
    }

    [Test]
    public void Finetune_FromATrainedModel_StartsWhereItLeftOff()
    {
        var pretrained = TrainMammals(Small(TrainingRecipe.Standard));
        var finetuned = TrainMammals(Small(TrainingRecipe.Finetune), initial: pretrained.Embeddings);
        double given = Validator(Mammals.Closure, MammalSplit).Validate(pretrained.Embeddings, CancellationToken.None).Overall;
        Assert.Multiple(() =>
        {
            Assert.That(finetuned.Curve.Points[0].Overall, Is.EqualTo(given), "step 0 validates the embeddings it was given");
            Assert.That(finetuned.Curve.Points[0].Overall, Is.EqualTo(pretrained.Curve.Points.Max(p => p.Overall)).Within(1e-9), "step 0 of finetuning is the pretrained model");
            Assert.That(finetuned.Stages.Single().Name, Is.EqualTo("finetune"));
        });
    }

    [Test]
    public void Options_StagesWithTheSameName_AreRejected()
    {
        var options = Small(TrainingRecipe.Standard) with { Stages = [First, First with { Steps = 10 }] };
        var error = Assert.Throws<ArgumentException>(() => new DualEncoderTrainer(options));
        Assert.That(error!.Message, Is.EqualTo("Stages must have distinct names (got pretrain, pretrain) (Parameter 'Stages')"));
    }

    [Test]
    public void Options_AStageSettingOutOfRange_IsNamedWithItsStage()
    {
        var options = Small(TrainingRecipe.PretrainFinetune, finetune: Finetune with { LearningRate = double.PositiveInfinity });
        var error = Assert.Throws<ArgumentException>(() => new DualEncoderTrainer(options));
        Assert.That(error!.Message, Is.EqualTo("Stages[1].LearningRate must be positive and at most 3.4E+38, a float (got Infinity) (Parameter 'Stages[1].LearningRate')"));
    }

    [Test]
    public void Options_DimensionZero_AreRejected()
    {
        var error = Assert.Throws<ArgumentException>(() => new DualEncoderTrainer(Small(TrainingRecipe.Standard) with { Dimension = 0 }));
        Assert.That(error!.Message, Does.Contain("Dimension must be at least 1"));
    }

    [Test]
    public void Train_HierarchyWithoutPairs_ReportsThatThereIsNothingToLearn()
    {
        var builder = new HierarchyBuilder();
        builder.AddNode("a");
        builder.AddNode("b");
        var lonely = builder.Build();
        var split = PairSplitter.Split(lonely.Closure, new PairSplitOptions());
        var error = Assert.Throws<ArgumentException>(() => new DualEncoderTrainer(Small(TrainingRecipe.Standard)).Train(lonely.Closure, split.Train));
        Assert.That(error!.Message, Does.Contain("no (child, ancestor) pairs"));
    }

    [Test]
    public void MaskSource_DecidesWhatHeldOutLinksTeach()
    {
        // Masked with the whole hierarchy, a leaf's held-out parent (evidence None) is never a negative while its
        // uncles are, and that alone is learnt. Masked with the training pairs only, every held-out ancestor is a
        // negative, and the popular far ones lose the most. Masked with what the training pairs imply, held-out
        // links that a chain of training pairs leads to are spared, the unsupported ones are not.
        var classes = new HeldOutEvidenceClassifier(Mammals.Count, MammalSplit.Train).Partition(MammalSplit.Test);
        Assert.That(classes.Keys, Is.SupersetOf(new[] { HeldOutEvidence.Path, HeldOutEvidence.None }), "the mammal test split has implied and unsupported pairs");
        var recall = new Dictionary<MaskSource, (double Path, double None)>();
        foreach (var source in Enum.GetValues<MaskSource>())
        {
            var embeddings = TrainMammals(Small(TrainingRecipe.Standard) with { MaskSource = source }).Embeddings;
            double Recall(HeldOutEvidence evidence) => new HierarchyEvaluator().Evaluate(Mammals.Closure, embeddings, classes[evidence]).Overall;
            recall[source] = (Recall(HeldOutEvidence.Path), Recall(HeldOutEvidence.None));
        }

        string seen = string.Join("; ", recall.Select(r => $"{r.Key}: path {r.Value.Path:P1}, none {r.Value.None:P1}"));
        Assert.Multiple(() =>
        {
            Assert.That(recall[MaskSource.Hierarchy].None, Is.GreaterThan(recall[MaskSource.Implied].None + 0.1), seen);
            Assert.That(recall[MaskSource.Implied].Path, Is.GreaterThan(recall[MaskSource.Training].Path + 0.1), seen);
        });
    }

    [Test]
    public void PretrainFinetune_TreeWhereStandardLosesTheLongDistances_RaisesMinRecall()
    {
        // Perfect tree W=5, H=4 at d=3, trained and evaluated on all pairs. Without false-negative masking in
        // pretraining, the root and the level-1 nodes act as negatives in almost every batch: standard training
        // loses distance 3 entirely, which is the paper's lost-in-the-long-distance effect.
        var tree = SyntheticHierarchies.PerfectTree(5, 4);
        var all = PairSet.All(tree.Closure);
        var first = TrainingRecipes.Pretrain with { Steps = 2000, ValidationInterval = 200, MaskFalseNegatives = false, EarlyStopping = new EarlyStoppingCriterion() };
        var finetune = TrainingRecipes.Finetune with { LearningRate = 1e-3, ValidationInterval = 10, EarlyStopping = new EarlyStoppingCriterion { Metric = EarlyStoppingMetric.Min } };
        var options = new DualEncoderTrainerOptions { Dimension = 3, Threads = 1, BatchSize = 64, RandomNegatives = 64, FarThreshold = 2 };
        var validator = new HierarchyValidator(tree.Closure, all, new ValidationOptions(), seed: 0, threads: 1);
        TrainingResult Train(TrainingRecipe recipe) =>
            new DualEncoderTrainer(options with { Stages = TrainingRecipes.Create(recipe, first, finetune) }).Train(tree.Closure, all, validator);
        var evaluator = new HierarchyEvaluator();
        var standard = evaluator.Evaluate(tree.Closure, Train(TrainingRecipe.Standard).Embeddings, all);
        var recipe = evaluator.Evaluate(tree.Closure, Train(TrainingRecipe.PretrainFinetune).Embeddings, all);
        Assert.Multiple(() =>
        {
            Assert.That(standard.RecallByDistance[3], Is.LessThan(0.05), "standard training loses distance 3");
            Assert.That(recipe.Min, Is.GreaterThan(standard.Min + 0.1), "finetuning on far pairs raises min recall");
            Assert.That(recipe.RecallByDistance[3], Is.GreaterThan(standard.RecallByDistance[3] + 0.2));
        });
    }

    private sealed class SynchronousProgress(Action<TrainingProgress> report) : IProgress<TrainingProgress>
    {
        public void Report(TrainingProgress value) => report(value);
    }

    /// <summary>Validates with <paramref name="inner"/>, first copying the checkpoint file as it is at that moment (null when there is none).</summary>
    private sealed class CheckpointCopyingValidator(Validation.ITrainingValidator inner, string checkpoint) : Validation.ITrainingValidator
    {
        public List<byte[]?> Copies { get; } = [];

        public string Description => inner.Description;

        public Validation.ValidationResult Validate(Retrieval.NodeEmbeddings embeddings, CancellationToken cancellationToken)
        {
            Copies.Add(File.Exists(checkpoint) ? File.ReadAllBytes(checkpoint) : null);
            return inner.Validate(embeddings, cancellationToken);
        }
    }
}
