using System.Text.Json;
using HierRetrieval.Data.Hierarchies;
using HierRetrieval.Data.Pairs;
using HierRetrieval.Retrieval;
using HierRetrieval.Training.Batching;
using HierRetrieval.Training.Checkpoints;
using HierRetrieval.Training.Recipes;
using HierRetrieval.Training.Towers;
using HierRetrieval.Training.Validation;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using TorchSharp;
using static TorchSharp.torch;

namespace HierRetrieval.Training;

/// <summary>
/// Trains a dual encoder on a hierarchy's matched pairs with the stages of <see cref="DualEncoderTrainerOptions"/>:
/// in-batch softmax with shared random negatives and false-negative masking, row-sparse Adam for lookup tables,
/// validation by an injected <see cref="ITrainingValidator"/>, early stopping that keeps each stage's best
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

    /// <summary>Trains two lookup-table towers (one row per node) on <paramref name="train"/>.</summary>
    /// <param name="closure">The hierarchy's closure: the known matches when <see cref="DualEncoderTrainerOptions.MaskSource"/> is the hierarchy.</param>
    /// <param name="train">The training pairs.</param>
    /// <param name="validator">Measures each validation point; null trains without validation (each stage keeps its last step).</param>
    /// <param name="checkpointPath">
    /// Where to keep the checkpoint; when the file exists, training resumes from it (same options and validation
    /// required), and the result equals that of an uninterrupted run. Null runs without checkpoints.
    /// </param>
    /// <param name="progress">Receives progress after every step.</param>
    /// <param name="cancellationToken">Stops between steps; the checkpoint is saved first.</param>
    /// <param name="initialEmbeddings">Starting values of both towers (e.g. a pretrained model's embeddings, to finetune it); null draws them at random.</param>
    /// <exception cref="ArgumentException">The hierarchy has no pairs, a stage's pair set is empty, or the initial embeddings are misshapen.</exception>
    /// <exception cref="TrainingDivergedException">The loss became NaN or infinite.</exception>
    /// <exception cref="OperationCanceledException">Cancelled; the checkpoint holds the run so far.</exception>
    public TrainingResult Train(
        TransitiveClosure closure,
        PairSet train,
        ITrainingValidator? validator = null,
        string? checkpointPath = null,
        IProgress<TrainingProgress>? progress = null,
        CancellationToken cancellationToken = default,
        NodeEmbeddings? initialEmbeddings = null)
    {
        RequirePairs(closure);
        var device = ResolveDevice(_options.Device);
        using var queries = new LookupTableTower(closure.NodeCount, _options.Dimension, _options.Seed, _options.InitialScale, device);
        using var documents = new LookupTableTower(closure.NodeCount, _options.Dimension, _options.Seed + 1L, _options.InitialScale, device);
        if (initialEmbeddings is not null)
        {
            queries.Load(initialEmbeddings.Queries);
            documents.Load(initialEmbeddings.Documents);
        }

        return Train(closure, train, queries, documents, validator, checkpointPath, progress, cancellationToken);
    }

    /// <summary>
    /// Trains the given towers (e.g. text towers) on <paramref name="train"/>: the same stages, loss, validation,
    /// early stopping and checkpoints as for lookup tables; only the towers differ. Item i of each tower is node i of
    /// <paramref name="closure"/>. The caller owns the towers and creates them on <see cref="ResolveDevice"/>'s device.
    /// </summary>
    /// <exception cref="ArgumentException">The towers do not cover the closure's nodes or have another dimension, or a stage's pair set is empty.</exception>
    public TrainingResult Train(
        TransitiveClosure closure,
        PairSet train,
        ITrainableTower queries,
        ITrainableTower documents,
        ITrainingValidator? validator = null,
        string? checkpointPath = null,
        IProgress<TrainingProgress>? progress = null,
        CancellationToken cancellationToken = default)
    {
        RequirePairs(closure);
        foreach (var tower in new[] { queries, documents })
        {
            if (tower.ItemCount != closure.NodeCount || tower.Dimension != _options.Dimension)
            {
                throw new ArgumentException($"a tower embeds {tower.ItemCount} items in d={tower.Dimension}, but the closure has {closure.NodeCount} nodes and the options ask for d={_options.Dimension}", nameof(queries));
            }
        }

        var stages = TrainingStage.Plan(_options, train);
        torch.set_num_threads(_options.Threads);
        var batches = new BatchBuilder(_options, KnownMatches(closure, train, _options.MaskSource));
        var checkpoints = new CheckpointStore(checkpointPath, Fingerprint(closure, train, validator, queries, documents), _logger);
        var loop = new StageLoop(_options, stages, queries, documents, batches, validator, checkpoints, ResolveDevice(_options.Device), _logger, e => StageCompleted?.Invoke(this, e));
        return loop.Execute(progress, cancellationToken);
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

    private static void RequirePairs(TransitiveClosure closure)
    {
        if (closure.PairCount == 0)
        {
            throw new ArgumentException("the hierarchy has no (child, ancestor) pairs: there is nothing to learn", nameof(closure));
        }
    }

    /// <summary>The matches that training may know about (masking and neighbour negatives), as <paramref name="source"/> says.</summary>
    private static TransitiveClosure KnownMatches(TransitiveClosure closure, PairSet train, MaskSource source) => source switch
    {
        MaskSource.Hierarchy => closure,
        MaskSource.Training => TransitiveClosure.FromPairs(closure.NodeCount, train.Pairs.ToArray()),
        MaskSource.Implied => TransitiveClosure.Implied(closure.NodeCount, train.Pairs.ToArray()),
        _ => throw new ArgumentOutOfRangeException(nameof(source), source, "unknown mask source"),
    };

    /// <summary>What a checkpoint must match to be resumed: the settings, the data's sizes, the validation and the towers' starting point.</summary>
    private string Fingerprint(TransitiveClosure closure, PairSet train, ITrainingValidator? validator, ITrainableTower queries, ITrainableTower documents) =>
        JsonSerializer.Serialize(new
        {
            Options = _options,
            closure.NodeCount,
            closure.PairCount,
            Train = train.Count,
            Validation = validator?.Description,
            StartingPoint = StartingPoint(queries, documents),
        });

    /// <summary>A checksum of the towers' initial parameters, so that a checkpoint is resumed only from the same start.</summary>
    private static double StartingPoint(ITrainableTower queries, ITrainableTower documents)
    {
        using var scope = NewDisposeScope();
        double Sum(ITrainableTower tower) => tower.Parameters.Sum(p => p.Tensor.sum().to_type(ScalarType.Float64).item<double>());
        return Sum(queries) + (2 * Sum(documents));
    }
}
