using HierRetrieval.Data.Datasets;
using HierRetrieval.Data.Pairs;
using HierRetrieval.Training.Recipes;
using HierRetrieval.Training.Validation;
using TorchSharp;

namespace HierRetrieval.Training.Tests;

public class EarlyStoppingTests
{
    private static readonly ValidationResult Point = new(Overall: 0.8, Min: 0.2, MinDistance: 3, new Dictionary<int, double> { [1] = 0.9, [3] = 0.2 });

    [TestCase(EarlyStoppingMetric.Overall, 0.5, 0.8)]
    [TestCase(EarlyStoppingMetric.Min, 0.5, 0.2)]
    [TestCase(EarlyStoppingMetric.Weighted, 0.5, 0.5)]
    [TestCase(EarlyStoppingMetric.Weighted, 0.25, 0.65)]
    public void Score_IsTheChosenMetric(EarlyStoppingMetric metric, double minWeight, double expected)
    {
        Assert.That(new EarlyStoppingCriterion { Metric = metric, MinWeight = minWeight }.Score(Point), Is.EqualTo(expected).Within(1e-12));
    }

    [Test]
    public void Patience_StopsTheStageAfterThatManyPointsWithoutImprovement()
    {
        // At a learning rate of 1e-12 nothing moves, so no validation point improves on the stage's start.
        var mammals = HierarchyCatalog.Load(HierarchyCatalog.WordNetMammalsName);
        var split = PairSplitter.Split(mammals.Closure, new PairSplitOptions { Seed = 1 });
        var stage = TrainerTests.First with { Steps = 200, ValidationInterval = 10, LearningRate = 1e-12, EarlyStopping = new EarlyStoppingCriterion { Patience = 3 } };
        var result = new DualEncoderTrainer(TrainerTests.Small(TrainingRecipe.Standard, stage)).Train(mammals.Closure, split.Train, TrainerTests.Validator(mammals.Closure, split));
        Assert.Multiple(() =>
        {
            Assert.That(result.Stages.Single(), Is.EqualTo(new StageSummary("train", StepsRun: 30, BestStep: 0, BestScore: result.Curve.Points[0].Overall)));
            Assert.That(result.Curve.Points.Select(p => p.StageStep), Is.EqualTo(new long[] { 0, 10, 20, 30 }));
        });
    }

    [TestCase(EarlyStoppingMetric.Overall, 0.5, 30)]
    [TestCase(EarlyStoppingMetric.Min, 0.5, 20)]
    [TestCase(EarlyStoppingMetric.Weighted, 0.5, 20)]
    [TestCase(EarlyStoppingMetric.Weighted, 0.25, 30)]
    public void Finish_RestoresTheParametersOfTheFirstBestPointUnderTheCriterion(EarlyStoppingMetric metric, double minWeight, int expectedStep)
    {
        // (step, overall, min): overall peaks at step 30, min at step 20; with w = 0.5 steps 20, 30 and 40 tie at 0.4.
        (int Step, double Overall, double Min)[] points = [(0, 0.40, 0.00), (10, 0.45, 0.10), (20, 0.50, 0.30), (30, 0.60, 0.20), (40, 0.55, 0.25)];
        var criterion = new EarlyStoppingCriterion { Metric = metric, MinWeight = minWeight };
        using var parameter = torch.zeros(3);
        using var stopping = new EarlyStopping([parameter]);
        var state = new Checkpoints.TrainingProgressState();
        foreach (var (step, overall, min) in points)
        {
            state.StageStep = step;
            parameter.fill_(step); // the parameters at this point
            stopping.Observe(state, criterion, criterion.Score(new ValidationResult(overall, min, 1, new Dictionary<int, double>())));
        }

        var summary = stopping.Finish(state, "finetune");
        Assert.Multiple(() =>
        {
            Assert.That(summary, Is.EqualTo(new StageSummary("finetune", StepsRun: 40, BestStep: expectedStep, BestScore: criterion.Score(new ValidationResult(points[expectedStep / 10].Overall, points[expectedStep / 10].Min, 1, new Dictionary<int, double>())))));
            Assert.That(parameter.data<float>().ToArray(), Is.All.EqualTo(expectedStep), "the kept parameters are that point's");
        });
    }

    [Test]
    public void RebalancedStage_DrawsFarPairsAtItsFraction()
    {
        var mammals = HierarchyCatalog.Load(HierarchyCatalog.WordNetMammalsName);
        var train = PairSet.All(mammals.Closure);
        var options = TrainerTests.Small(TrainingRecipe.Rebalanced, TrainerTests.First with { FarFraction = 0.7 });
        var stage = TrainingStage.Plan(options, train).Single();
        var batch = new MatchedPair[options.BatchSize];
        long far = 0, drawn = 0;
        for (int step = 0; step < 200; step++)
        {
            stage.Sampler.Fill(step, batch);
            far += batch.Count(p => p.Distance >= options.FarThreshold);
            drawn += batch.Length;
        }

        double farShare = (double)train.Pairs.ToArray().Count(p => p.Distance >= options.FarThreshold) / train.Count;
        Assert.Multiple(() =>
        {
            Assert.That(stage.Options.Pairs, Is.EqualTo(StagePairs.Rebalanced));
            Assert.That((double)far / drawn, Is.EqualTo(0.7 + (0.3 * farShare)).Within(0.01), "a far pair with probability 0.7, else any pair");
            Assert.That(farShare, Is.LessThan(0.6), "far pairs are oversampled, not drawn at their share");
        });
    }
}
