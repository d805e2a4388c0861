using System.Diagnostics;
using System.Text.Json;
using HierRetrieval.Data.Hierarchies;
using HierRetrieval.Data.Pairs;
using HierRetrieval.Evaluation;
using HierRetrieval.Retrieval;
using HierRetrieval.Training.Batching;
using HierRetrieval.Training.Checkpoints;
using HierRetrieval.Training.Losses;
using HierRetrieval.Training.Recipes;
using HierRetrieval.Training.Reporting;
using HierRetrieval.Training.Towers;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using TorchSharp;
using static TorchSharp.torch;

namespace HierRetrieval.Training;

/// <summary>
/// Trains a dual encoder of two lookup-table towers on a hierarchy's matched pairs with the recipe of
/// <see cref="DualEncoderTrainerOptions"/>: in-batch softmax with shared random negatives and false-negative
/// masking, row-sparse Adam, validation on the validation split, early stopping that keeps each stage's best
/// parameters, and resumable checkpoints.
/// </summary>
public sealed class DualEncoderTrainer
{
    private readonly DualEncoderTrainerOptions _options;
    private readonly ILogger _logger;

    /// <summary>Creates a trainer.</summary>
    /// <exception cref="ArgumentException">An option is out of range.</exception>
    public DualEncoderTrainer(DualEncoderTrainerOptions options, ILogger? logger = null)
    {
        options.Validate();
        _options = options;
        _logger = logger ?? NullLogger.Instance;
    }

    /// <summary>
    /// Raised when a stage ends, with the parameters it kept. For pretrain-finetune, the pretraining model is exactly
    /// what the standard recipe with the same settings produces.
    /// </summary>
    public event EventHandler<StageCompletedEventArgs>? StageCompleted;

    /// <summary>Trains on <paramref name="split"/>.Train, validating on <paramref name="split"/>.Validation.</summary>
    /// <param name="closure">The hierarchy's closure: match sets for masking and evaluation.</param>
    /// <param name="split">Training and validation pairs (the test pairs are not touched).</param>
    /// <param name="checkpointPath">
    /// Where to keep the checkpoint; when the file exists, training resumes from it (same options required), and the
    /// result equals that of an uninterrupted run. Null runs without checkpoints.
    /// </param>
    /// <param name="progress">Receives progress after every step.</param>
    /// <param name="cancellationToken">Stops between steps; the checkpoint is saved first.</param>
    /// <param name="initialEmbeddings">Starting values of both towers (required by <see cref="TrainingRecipe.Finetune"/>, e.g. a pretrained model's embeddings); null draws them at random.</param>
    /// <exception cref="ArgumentException">The hierarchy has no pairs, the recipe's far set is empty, or the initial embeddings are missing or misshapen.</exception>
    /// <exception cref="TrainingDivergedException">The loss became NaN or infinite.</exception>
    /// <exception cref="OperationCanceledException">Cancelled; the checkpoint holds the run so far.</exception>
    public TrainingResult Train(
        TransitiveClosure closure,
        PairSplit split,
        string? checkpointPath = null,
        IProgress<TrainingProgress>? progress = null,
        CancellationToken cancellationToken = default,
        NodeEmbeddings? initialEmbeddings = null)
    {
        if (_options.Recipe == TrainingRecipe.Finetune && initialEmbeddings is null)
        {
            throw new ArgumentException("the finetune recipe starts from a pretrained model: pass its embeddings", nameof(initialEmbeddings));
        }

        if (closure.PairCount == 0)
        {
            throw new ArgumentException("the hierarchy has no (child, ancestor) pairs: there is nothing to learn", nameof(closure));
        }

        var device = ResolveDevice(_options.Device);
        using var queries = new LookupTableTower(closure.NodeCount, _options.Dimension, _options.Seed, _options.InitialScale, device);
        using var documents = new LookupTableTower(closure.NodeCount, _options.Dimension, _options.Seed + 1L, _options.InitialScale, device);
        if (initialEmbeddings is not null)
        {
            queries.Load(initialEmbeddings.Queries);
            documents.Load(initialEmbeddings.Documents);
        }

        return Train(closure, split, queries, documents, checkpointPath, progress, cancellationToken);
    }

    /// <summary>
    /// Trains the given towers (e.g. text towers) on <paramref name="split"/>.Train: the same recipe, loss, validation,
    /// early stopping and checkpoints as for lookup tables; only the towers differ. Item i of each tower is node i of
    /// <paramref name="closure"/>. The caller owns the towers and creates them on <see cref="ResolveDevice"/>'s device.
    /// </summary>
    /// <exception cref="ArgumentException">The towers do not cover the closure's nodes or have another dimension, or the recipe's far set is empty.</exception>
    public TrainingResult Train(
        TransitiveClosure closure,
        PairSplit split,
        ITrainableTower queries,
        ITrainableTower documents,
        string? checkpointPath = null,
        IProgress<TrainingProgress>? progress = null,
        CancellationToken cancellationToken = default)
    {
        if (closure.PairCount == 0)
        {
            throw new ArgumentException("the hierarchy has no (child, ancestor) pairs: there is nothing to learn", nameof(closure));
        }

        foreach (var tower in new[] { queries, documents })
        {
            if (tower.ItemCount != closure.NodeCount || tower.Dimension != _options.Dimension)
            {
                throw new ArgumentException($"a tower embeds {tower.ItemCount} items in d={tower.Dimension}, but the closure has {closure.NodeCount} nodes and the options ask for d={_options.Dimension}", nameof(queries));
            }
        }

        var stages = RecipePlanner.Plan(_options, split.Train);
        torch.set_num_threads(_options.Threads);
        var known = KnownMatches(closure, split, _options.MaskSource);
        var run = new Run(this, closure, known, split, stages, queries, documents, ResolveDevice(_options.Device), checkpointPath, StartingPoint(queries, documents));
        return run.Execute(progress, cancellationToken);
    }

    /// <summary>The matches that training may know about (masking and neighbour negatives), as <paramref name="source"/> says.</summary>
    private static TransitiveClosure KnownMatches(TransitiveClosure closure, PairSplit split, MaskSource source) => source switch
    {
        MaskSource.Hierarchy => closure,
        MaskSource.Training => TransitiveClosure.FromPairs(closure.NodeCount, split.Train.Pairs.ToArray()),
        MaskSource.Implied => TransitiveClosure.Implied(closure.NodeCount, split.Train.Pairs.ToArray()),
        _ => throw new ArgumentOutOfRangeException(nameof(source), source, "unknown mask source"),
    };

    /// <summary>A checksum of the towers' initial parameters, so that a checkpoint is resumed only from the same start.</summary>
    private static double StartingPoint(ITrainableTower queries, ITrainableTower documents)
    {
        using var scope = NewDisposeScope();
        double Sum(ITrainableTower tower) => tower.Parameters.Sum(p => p.Tensor.sum().to_type(ScalarType.Float64).item<double>());
        return Sum(queries) + (2 * Sum(documents));
    }

    /// <summary>The torch device named by <see cref="DualEncoderTrainerOptions.Device"/> (cpu, cuda, cuda:n).</summary>
    /// <exception cref="ArgumentException">CUDA was asked for but is not available.</exception>
    public static Device ResolveDevice(string name)
    {
        if (name == "cpu")
        {
            return torch.CPU;
        }

        bool available;
        try
        {
            available = torch.cuda.is_available();
        }
        catch (InvalidOperationException)
        {
            available = false; // the CUDA backend is not shipped with this application
        }

        if (!available)
        {
            throw new ArgumentException($"device {name} was requested but CUDA is not available here (no CUDA device, or the application ships only libtorch's CPU natives)", nameof(name));
        }

        return torch.device(name);
    }

    /// <summary>One training run: the towers, the stages and the progress state.</summary>
    private sealed class Run(
        DualEncoderTrainer trainer,
        TransitiveClosure closure,
        TransitiveClosure knownMatches,
        PairSplit split,
        IReadOnlyList<TrainingStage> stages,
        ITrainableTower queries,
        ITrainableTower documents,
        Device device,
        string? checkpointPath,
        double startingPoint)
    {
        private readonly DualEncoderTrainerOptions _options = trainer._options;
        private readonly ILogger _logger = trainer._logger;
        private readonly PairSet _validation = SampleValidation(split.Validation, trainer._options);
        private readonly FalseNegativeMask _mask = new(new ClosureMatchSets(knownMatches), closure.NodeCount);
        private readonly NeighbourNegativeSampler? _neighbours = trainer._options.NeighbourNegatives > 0 ? new NeighbourNegativeSampler(knownMatches) : null;
        private readonly List<Tensor> _best = [.. queries.Parameters.Concat(documents.Parameters).Select(p => zeros_like(p.Tensor))];
        private TrainingProgressState _state = new();
        private double? _lastValidation;

        public TrainingResult Execute(IProgress<TrainingProgress>? progress, CancellationToken cancellationToken)
        {
            try
            {
                _state.Fingerprint = Fingerprint();
                Resume();
                long stepsRun = 0;
                var clock = new Stopwatch();
                while (_state.StageIndex < stages.Count)
                {
                    stepsRun += RunStage(stages[_state.StageIndex], clock, progress, cancellationToken);
                }

                var curve = new TrainingCurve();
                _state.Curve.ForEach(curve.Add);
                double seconds = Math.Max(clock.Elapsed.TotalSeconds, 1e-9);
                return new TrainingResult(
                    new NodeEmbeddings(queries.EmbedAll(), documents.EmbedAll()), curve, [.. _state.CompletedStages],
                    stepsRun, clock.Elapsed, stepsRun * _options.BatchSize / seconds);
            }
            finally
            {
                _best.ForEach(t => t.Dispose());
            }
        }

        private int RunStage(TrainingStage stage, Stopwatch clock, IProgress<TrainingProgress>? progress, CancellationToken cancellationToken)
        {
            var loss = new InBatchSoftmaxLoss(stage.Temperature, _options.TemperatureConvention);
            int batch = _options.BatchSize;
            var pairs = new MatchedPair[batch];
            int[] queryItems = new int[batch];
            int[] candidates = new int[batch + _options.RandomNegatives + _options.NeighbourNegatives];
            bool[] mask = new bool[queryItems.Length * candidates.Length];
            if (_state.StageStep == 0 && !_state.StageStopped)
            {
                _logger.LogInformation("{Stage}: {Steps} steps at learning rate {LearningRate}, temperature {Temperature}", stage.Name, stage.Steps, stage.LearningRate, stage.Temperature);
                Validate(stage);
            }

            int stepsRun = 0;
            while (_state.StageStep < stage.Steps && !_state.StageStopped)
            {
                if (cancellationToken.IsCancellationRequested)
                {
                    SaveCheckpoint();
                    cancellationToken.ThrowIfCancellationRequested();
                }

                clock.Start();
                stage.Sampler.Fill(_state.StageStep, pairs);
                for (int i = 0; i < batch; i++)
                {
                    queryItems[i] = pairs[i].Query;
                    candidates[i] = pairs[i].Document;
                }

                FillNegatives(queryItems, candidates.AsSpan(batch));
                double value = Step(loss, stage, queryItems, candidates, mask);
                clock.Stop();
                if (!double.IsFinite(value))
                {
                    throw new TrainingDivergedException(
                        $"{stage.Name} step {_state.StageStep + 1}: the loss became {value}; training stopped" +
                        (checkpointPath is null ? "" : $" and the last good checkpoint {checkpointPath} was kept") +
                        ". Try a lower learning rate or temperature.");
                }

                _state.StageStep++;
                _state.LossSum += value;
                _state.LossCount++;
                stepsRun++;
                progress?.Report(new TrainingProgress(stage.Name, _state.StageIndex, stages.Count, _state.StageStep, stage.Steps, value, _lastValidation));
                if (_state.StageStep % stage.ValidationInterval == 0 || _state.StageStep == stage.Steps)
                {
                    Validate(stage);
                    SaveCheckpoint();
                }
            }

            FinishStage(stage);
            return stepsRun;
        }

        /// <summary>Random negatives, then neighbour negatives for queries 0, 1, ... of the batch in turn.</summary>
        private void FillNegatives(int[] queryItems, Span<int> negatives)
        {
            var random = StepRandom.For(_options.Seed, 1000 + _state.StageIndex, _state.StageStep);
            for (int i = 0; i < _options.RandomNegatives; i++)
            {
                negatives[i] = random.Next(closure.NodeCount);
            }

            for (int i = 0; i < _options.NeighbourNegatives; i++)
            {
                negatives[_options.RandomNegatives + i] = _neighbours!.Sample(queryItems[i % queryItems.Length], random);
            }
        }

        private double Step(InBatchSoftmaxLoss loss, TrainingStage stage, int[] queryItems, int[] candidates, bool[] mask)
        {
            using var scope = NewDisposeScope();
            using var queryStep = queries.Begin(queryItems);
            using var documentStep = documents.Begin(candidates);
            Tensor? falseNegatives = null;
            if (stage.MaskFalseNegatives)
            {
                _mask.Build(queryItems, candidates, mask);
                falseNegatives = tensor(mask, [queryItems.Length, candidates.Length]).to(device);
            }

            var value = loss.Compute(queryStep.Embeddings, documentStep.Embeddings, falseNegatives);
            value.backward();
            double result = value.item<float>();
            if (double.IsFinite(result))
            {
                long step = _state.StageStep + 1L;
                queryStep.Update(_options.Adam, stage.LearningRate, step);
                documentStep.Update(_options.Adam, stage.LearningRate, step);
            }

            return result;
        }

        private void Validate(TrainingStage stage)
        {
            if (_validation.Count == 0)
            {
                return;
            }

            var metrics = new HierarchyEvaluator(new HierarchyEvaluatorOptions { Threads = _options.Threads, DistanceBucketCap = _options.ValidationDistanceCap })
                .Evaluate(closure, new NodeEmbeddings(queries.EmbedAll(), documents.EmbedAll()), _validation);
            double meanLoss = _state.LossCount == 0 ? double.NaN : _state.LossSum / _state.LossCount;
            _state.LossSum = 0;
            _state.LossCount = 0;
            _state.Curve.Add(new TrainingCurvePoint(
                _state.StepsBeforeStage + _state.StageStep, stage.Name, _state.StageStep, meanLoss, metrics.Overall, metrics.Min,
                new SortedDictionary<int, double>(metrics.RecallByDistance.ToDictionary())));
            _lastValidation = metrics.Overall;
            double score = stage.EarlyStopping.Score(metrics);
            if (score > _state.BestScore)
            {
                _state.BestScore = score;
                _state.BestStageStep = _state.StageStep;
                _state.PointsSinceBest = 0;
                _state.HasBest = true;
                CopyParameters(toBest: true);
            }
            else if (stage.EarlyStopping.Patience > 0 && ++_state.PointsSinceBest >= stage.EarlyStopping.Patience)
            {
                _state.StageStopped = true;
            }

            _logger.LogInformation(
                "{Stage} step {Step}/{Steps}: loss {Loss:F4}, validation overall {Overall:P1}, min {Min:P1} (distance {MinDistance}), score {Score:F4}, best at step {BestStep}",
                stage.Name, _state.StageStep, stage.Steps, meanLoss, metrics.Overall, metrics.Min, metrics.MinDistance, score, _state.BestStageStep);
        }

        private void FinishStage(TrainingStage stage)
        {
            if (_state.HasBest)
            {
                CopyParameters(toBest: false);
                if (_state.BestStageStep != _state.StageStep)
                {
                    _logger.LogInformation("{Stage}: kept the parameters of step {BestStep} (validation score {Score:F4})", stage.Name, _state.BestStageStep, _state.BestScore);
                }
            }

            var summary = new StageSummary(stage.Name, _state.StageStep, _state.HasBest ? _state.BestStageStep : _state.StageStep, _state.HasBest ? _state.BestScore : double.NaN);
            _state.CompletedStages.Add(summary);
            trainer.StageCompleted?.Invoke(trainer, new StageCompletedEventArgs(summary, _state.StageIndex == stages.Count - 1, new NodeEmbeddings(queries.EmbedAll(), documents.EmbedAll())));
            _state.StepsBeforeStage += _state.StageStep;
            _state.StageIndex++;
            _state.StageStep = 0;
            _state.StageStopped = false;
            _state.HasBest = false;
            _state.BestScore = double.NegativeInfinity;
            _state.BestStageStep = 0;
            _state.PointsSinceBest = 0;
            queries.ResetOptimizer();
            documents.ResetOptimizer();
            SaveCheckpoint();
        }

        private void CopyParameters(bool toBest)
        {
            using var noGrad = no_grad();
            var parameters = queries.Parameters.Concat(documents.Parameters).Select(p => p.Tensor).ToList();
            for (int i = 0; i < parameters.Count; i++)
            {
                (toBest ? _best[i] : parameters[i]).copy_(toBest ? parameters[i] : _best[i]);
            }
        }

        private List<NamedTensor> CheckpointTensors() =>
        [
            .. queries.State.Select(t => t with { Name = "query." + t.Name }),
            .. documents.State.Select(t => t with { Name = "document." + t.Name }),
            .. _best.Select((t, i) => new NamedTensor($"best.{i}", t)),
        ];

        private void SaveCheckpoint()
        {
            if (checkpointPath is not null)
            {
                TrainingCheckpoint.Save(checkpointPath, _state, CheckpointTensors());
            }
        }

        private void Resume()
        {
            if (checkpointPath is null || !File.Exists(checkpointPath))
            {
                return;
            }

            string expected = _state.Fingerprint;
            var state = TrainingCheckpoint.Load(checkpointPath, CheckpointTensors());
            if (state.Fingerprint != expected)
            {
                throw new InvalidDataException(
                    $"{checkpointPath}: the checkpoint belongs to a run with other settings or data; use the same settings, or another output folder");
            }

            _state = state;
            _lastValidation = state.Curve.Count == 0 ? null : state.Curve[^1].Overall;
            _logger.LogInformation("resumed from {Checkpoint}: stage {Stage}, step {Step}", checkpointPath, _state.StageIndex, _state.StageStep);
        }

        private string Fingerprint() => JsonSerializer.Serialize(new
        {
            Options = _options,
            closure.NodeCount,
            closure.PairCount,
            Train = split.Train.Count,
            Validation = split.Validation.Count,
            StartingPoint = startingPoint,
        });

        private static PairSet SampleValidation(PairSet validation, DualEncoderTrainerOptions options)
        {
            int[] all = validation.Queries();
            if (options.ValidationQueries == 0 || all.Length <= options.ValidationQueries)
            {
                return validation;
            }

            var random = StepRandom.For(options.Seed, stream: 2000, index: 0);
            var chosen = random.GetItems(all, all.Length).Distinct().Take(options.ValidationQueries).ToHashSet();
            return validation.Where(p => chosen.Contains(p.Query));
        }
    }
}
