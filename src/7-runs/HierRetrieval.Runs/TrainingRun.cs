using HierRetrieval.Evaluation;
using HierRetrieval.Retrieval;
using HierRetrieval.Runs.Models;
using HierRetrieval.Runs.Outputs;
using HierRetrieval.Runs.Validation;
using HierRetrieval.Training;
using HierRetrieval.Training.Towers;
using Microsoft.Extensions.Logging;

namespace HierRetrieval.Runs;

/// <summary>
/// One training run, the same for every caller (the CLI, the ML.NET estimators, the shopping trainer, the studies):
/// the split policy divides the pairs, a <see cref="HierarchyValidator"/> validates on the validation pairs, the
/// trainer runs the stages (resuming from the checkpoint when one exists), the test split is evaluated for the final
/// model and each earlier stage, and with an output folder every result is written there with a manifest.
/// </summary>
public sealed class TrainingRun
{
    private readonly TrainingRunOptions _options;
    private readonly ILogger? _logger;

    /// <summary>Creates a run.</summary>
    /// <exception cref="ArgumentException">A setting is out of range.</exception>
    public TrainingRun(TrainingRunOptions options, ILogger? logger = null)
    {
        options.Trainer.Validate();
        options.Validation.Validate();
        ArgumentOutOfRangeException.ThrowIfLessThan(options.TopK, 1, nameof(options));
        _options = options;
        _logger = logger;
    }

    /// <summary>Trains two lookup-table towers (one row per node), optionally from <paramref name="initialEmbeddings"/>.</summary>
    /// <exception cref="ArgumentException">The data has no pairs, or a stage's pair set is empty.</exception>
    /// <exception cref="TrainingDivergedException">The loss became NaN or infinite.</exception>
    /// <exception cref="OperationCanceledException">Cancelled; the checkpoint (if any) holds the run so far.</exception>
    public TrainingRunResult Train(RunInput input, IProgress<TrainingProgress>? progress = null, CancellationToken cancellationToken = default, NodeEmbeddings? initialEmbeddings = null) =>
        Execute(input, lookupTables: true, (trainer, validator, checkpoint) =>
            trainer.Train(input.Split.TrainingClosure, input.Split.Split.Train, validator, checkpoint, progress, cancellationToken, initialEmbeddings));

    /// <summary>Trains the given towers (item i = node i), e.g. text towers; the caller owns them.</summary>
    /// <exception cref="ArgumentException">The towers do not fit the data, or a stage's pair set is empty.</exception>
    /// <exception cref="TrainingDivergedException">The loss became NaN or infinite.</exception>
    /// <exception cref="OperationCanceledException">Cancelled; the checkpoint (if any) holds the run so far.</exception>
    public TrainingRunResult Train(RunInput input, ITrainableTower queries, ITrainableTower documents, IProgress<TrainingProgress>? progress = null, CancellationToken cancellationToken = default) =>
        Execute(input, lookupTables: false, (trainer, validator, checkpoint) =>
            trainer.Train(input.Split.TrainingClosure, input.Split.Split.Train, queries, documents, validator, checkpoint, progress, cancellationToken));

    private TrainingRunResult Execute(RunInput input, bool lookupTables, Func<DualEncoderTrainer, HierarchyValidator?, string?, TrainingResult> train)
    {
        var split = input.Split;
        var trainer = _options.Trainer;
        var manifest = new TrainingManifest(input.Source, trainer, input.Policy) { Recipe = _options.Recipe, Protocol = _options.Protocol, Validation = _options.Validation };
        var folder = _options.OutputFolder is { } path ? new RunFolder(path) : null;
        var validator = HierarchyValidator.For(split.TrainingClosure, split.Split.Validation, _options.Validation, trainer.Seed, trainer.Threads);
        var stages = new Dictionary<string, StageModel>(StringComparer.Ordinal);
        var dualEncoder = new DualEncoderTrainer(trainer, _logger);
        dualEncoder.StageCompleted += (_, e) =>
        {
            if (!e.IsLast)
            {
                stages[e.Stage.Name] = new StageModel(e.Stage, e.Embeddings, null);
                folder?.SaveStage(e.Stage.Name, new TrainedModel(input.Names, e.Embeddings, manifest));
            }
        };

        var result = train(dualEncoder, validator, folder?.File(RunFolder.Checkpoint) ?? _options.CheckpointPath);
        var test = split.Split.Test;
        HierarchyRetrievalMetrics? Evaluate(NodeEmbeddings embeddings) =>
            _options.Test is { } evaluation && test.Count > 0 ? new HierarchyEvaluator(evaluation).Evaluate(input.Closure, embeddings, test) : null;
        var earlier = new List<StageModel>();
        foreach (var stage in result.Stages.SkipLast(1))
        {
            var embeddings = stages.TryGetValue(stage.Name, out var known) ? known.Embeddings : folder?.LoadStage(stage.Name);
            if (embeddings is not null)
            {
                earlier.Add(new StageModel(stage, embeddings, Evaluate(embeddings)));
            }
        }

        var runResult = new TrainingRunResult(result, split, earlier, Evaluate(result.Embeddings));
        folder?.Write(new TrainedModel(input.Names, result.Embeddings, manifest), runResult, lookupTables ? _options.TopK : 0, $"{input.Source}, d={trainer.Dimension}, {manifest.RecipeDescription}");
        return runResult;
    }
}
