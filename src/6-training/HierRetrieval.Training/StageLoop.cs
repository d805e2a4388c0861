using System.Diagnostics;
using System.Globalization;
using HierRetrieval.Retrieval;
using HierRetrieval.Training.Batching;
using HierRetrieval.Training.Checkpoints;
using HierRetrieval.Training.Losses;
using HierRetrieval.Training.Recipes;
using HierRetrieval.Training.Reporting;
using HierRetrieval.Training.Towers;
using HierRetrieval.Training.Validation;
using Microsoft.Extensions.Logging;
using static TorchSharp.torch;

namespace HierRetrieval.Training;

/// <summary>
/// Runs a recipe's stages in order over two towers: each step builds a batch, computes the loss and updates the
/// towers; validation points feed early stopping and the curve; checkpoints are saved at validation points, at
/// the end of each stage and when cancelled. One instance is one run.
/// </summary>
internal sealed class StageLoop(
    DualEncoderTrainerOptions options,
    IReadOnlyList<TrainingStage> stages,
    ITrainableTower queries,
    ITrainableTower documents,
    BatchBuilder batches,
    ITrainingValidator? validator,
    CheckpointStore checkpoints,
    Device device,
    ILogger logger,
    Action<StageCompletedEventArgs> stageCompleted)
{
    private TrainingProgressState _state = new();
    private double? _lastValidation;

    public TrainingResult Execute(IProgress<TrainingProgress>? progress, CancellationToken cancellationToken)
    {
        using var stopping = new EarlyStopping([.. queries.Parameters.Concat(documents.Parameters).Select(p => p.Tensor)]);
        var tensors = CheckpointTensors(stopping);
        if (checkpoints.Resume(tensors) is { } resumed)
        {
            _state = resumed;
            _lastValidation = resumed.Curve.Count == 0 ? null : resumed.Curve[^1].Overall;
        }

        long stepsRun = 0;
        var clock = new Stopwatch();
        while (_state.StageIndex < stages.Count)
        {
            var stage = stages[_state.StageIndex];
            stepsRun += RunStage(stage, stopping, tensors, clock, progress, cancellationToken);
            FinishStage(stage, stopping, tensors);
        }

        var curve = new TrainingCurve();
        _state.Curve.ForEach(curve.Add);
        double seconds = Math.Max(clock.Elapsed.TotalSeconds, 1e-9);
        return new TrainingResult(
            EmbedAll(), curve, [.. _state.CompletedStages], stepsRun, clock.Elapsed, stepsRun * options.BatchSize / seconds)
        {
            StageSeconds = new Dictionary<string, double>(_state.StageSeconds),
        };
    }

    private int RunStage(TrainingStage stage, EarlyStopping stopping, List<NamedTensor> tensors, Stopwatch clock, IProgress<TrainingProgress>? progress, CancellationToken cancellationToken)
    {
        var settings = stage.Options;
        var loss = new InBatchSoftmaxLoss(settings.Temperature, options.TemperatureConvention);
        if (!_state.StageStarted)
        {
            // Once per stage, even when a run stopped right after this point is resumed: its starting point is validated and logged.
            logger.LogInformation("{Stage}: {Steps} steps at learning rate {LearningRate}, temperature {Temperature}", settings.Name, settings.Steps, settings.LearningRate, settings.Temperature);
            Validate(settings, stopping, cancellationToken);
            _state.StageStarted = true;
        }

        int stepsRun = 0;
        while (_state.StageStep < settings.Steps && !_state.StageStopped)
        {
            if (cancellationToken.IsCancellationRequested)
            {
                checkpoints.Save(_state, tensors);
                cancellationToken.ThrowIfCancellationRequested();
            }

            long started = clock.ElapsedTicks;
            clock.Start();
            batches.Fill(stage.Sampler, _state.StageIndex, _state.StageStep);
            double value = Step(loss, settings);
            clock.Stop();
            _state.StageSeconds[settings.Name] = _state.StageSeconds.GetValueOrDefault(settings.Name) + ((clock.ElapsedTicks - started) / (double)Stopwatch.Frequency);
            if (!double.IsFinite(value))
            {
                throw new TrainingDivergedException(
                    $"{settings.Name} step {_state.StageStep + 1}: the loss became {value}; training stopped" +
                    (checkpoints.Path is null ? "" : $" and the last good checkpoint {checkpoints.Path} was kept") +
                    ". Try a lower learning rate or temperature.");
            }

            _state.StageStep++;
            _state.LossSum += value;
            _state.LossCount++;
            stepsRun++;
            progress?.Report(new TrainingProgress(settings.Name, _state.StageIndex, stages.Count, _state.StageStep, settings.Steps, value, _lastValidation));
            if (_state.StageStep % settings.ValidationInterval == 0 || _state.StageStep == settings.Steps)
            {
                Validate(settings, stopping, cancellationToken);
                checkpoints.Save(_state, tensors);
            }
        }

        return stepsRun;
    }

    private double Step(InBatchSoftmaxLoss loss, StageOptions settings)
    {
        using var scope = NewDisposeScope();
        using var queryStep = queries.Begin(batches.Queries);
        using var documentStep = documents.Begin(batches.Candidates);
        var falseNegatives = settings.MaskFalseNegatives ? batches.FalseNegatives(device) : null;
        var value = loss.Compute(queryStep.Embeddings, documentStep.Embeddings, falseNegatives);
        value.backward();
        double result = value.item<float>();
        if (double.IsFinite(result))
        {
            long step = _state.StageStep + 1L;
            queryStep.Update(options.Adam, settings.LearningRate, step);
            documentStep.Update(options.Adam, settings.LearningRate, step);
        }

        return result;
    }

    private void Validate(StageOptions settings, EarlyStopping stopping, CancellationToken cancellationToken)
    {
        if (validator is null)
        {
            return;
        }

        var metrics = validator.Validate(EmbedAll(), cancellationToken);
        double meanLoss = _state.LossCount == 0 ? double.NaN : _state.LossSum / _state.LossCount;
        _state.LossSum = 0;
        _state.LossCount = 0;
        _state.Curve.Add(new TrainingCurvePoint(
            _state.StepsBeforeStage + _state.StageStep, settings.Name, _state.StageStep, meanLoss, metrics.Overall, metrics.Min,
            new SortedDictionary<int, double>(metrics.RecallByDistance.ToDictionary())));
        _lastValidation = metrics.Overall;
        double score = settings.EarlyStopping.Score(metrics);
        stopping.Observe(_state, settings.EarlyStopping, score);
        logger.LogInformation(
            "{Stage} step {Step}/{Steps}: loss {Loss}, validation overall {Overall:P1}, min {Min:P1} (distance {MinDistance}), score {Score:F4}, best at step {BestStep}",
            settings.Name, _state.StageStep, settings.Steps, FormatLoss(meanLoss), metrics.Overall, metrics.Min, metrics.MinDistance, score, _state.BestStageStep);
    }

    /// <summary>The mean loss since the last point, or a dash at a stage's starting point, where no step has run.</summary>
    private static string FormatLoss(double meanLoss) => double.IsNaN(meanLoss) ? "-" : meanLoss.ToString("F4", CultureInfo.InvariantCulture);

    private void FinishStage(TrainingStage stage, EarlyStopping stopping, List<NamedTensor> tensors)
    {
        var summary = stopping.Finish(_state, stage.Options.Name);
        if (_state.HasBest && summary.BestStep != _state.StageStep)
        {
            logger.LogInformation("{Stage}: kept the parameters of step {BestStep} (validation score {Score:F4})", summary.Name, summary.BestStep, summary.BestScore);
        }

        _state.CompletedStages.Add(summary);
        stageCompleted(new StageCompletedEventArgs(summary, _state.StageIndex == stages.Count - 1, EmbedAll()));
        _state.StepsBeforeStage += _state.StageStep;
        _state.StageIndex++;
        _state.StageStep = 0;
        _state.StageStarted = false;
        EarlyStopping.Reset(_state);
        queries.ResetOptimizer();
        documents.ResetOptimizer();
        checkpoints.Save(_state, tensors);
    }

    private NodeEmbeddings EmbedAll() => new(queries.EmbedAll(), documents.EmbedAll());

    private List<NamedTensor> CheckpointTensors(EarlyStopping stopping) =>
    [
        .. queries.State.Select(t => t with { Name = "query." + t.Name }),
        .. documents.State.Select(t => t with { Name = "document." + t.Name }),
        .. stopping.Best.Select((t, i) => new NamedTensor($"best.{i}", t)),
    ];
}
