using HierRetrieval.Data.Hierarchies;
using HierRetrieval.Runs;
using HierRetrieval.Runs.Splits;
using HierRetrieval.MLNet.Schema;
using Microsoft.ML;

namespace HierRetrieval.MLNet;

/// <summary>
/// Trains a lookup-table dual encoder on (query, document, distance) pairs with the two-stage TorchSharp recipe and
/// returns a <see cref="DualEncoderTransformer"/>. Created by <c>mlContext.HierarchicalRetrieval().Trainers.DualEncoder</c>.
/// </summary>
/// <remarks>
/// Every name in the query or document column is a node; a node is a match of itself (distance 0), so self pairs need
/// not be listed. A seeded <see cref="DualEncoderOptions.ValidationFraction"/> of the other pairs is held out for
/// early stopping. Pairs marked by <see cref="DualEncoderOptions.HeldOutColumnName"/> are known matches that are not
/// trained on: validation knows them, and so does masking unless <see cref="Training.DualEncoderTrainerOptions.MaskSource"/>
/// keeps held-out pairs out of training.
/// </remarks>
public sealed class DualEncoderEstimator : IEstimator<DualEncoderTransformer>
{
    private readonly MLContext _mlContext;
    private readonly DualEncoderOptions _options;

    internal DualEncoderEstimator(MLContext mlContext, DualEncoderOptions options)
    {
        Validate(options);
        _mlContext = mlContext;
        _options = options;
    }

    /// <summary>Trains on <paramref name="input"/> and returns the fitted transformer.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A column is missing or mistyped.</exception>
    /// <exception cref="InvalidDataException">A row has an empty name or an invalid distance, or the view is empty.</exception>
    public DualEncoderTransformer Fit(IDataView input)
    {
        var pairs = TrainingPairs.Read(input, _options);
        var result = Run(_options).Train(Input(pairs, _options), _options.Progress);
        return DualEncoderTransformer.Create(_mlContext, pairs.Names, result.Embeddings, _options with { TopK = Math.Min(_options.TopK, pairs.Names.Count) }, result.Training);
    }

    /// <summary>The schema after the transformer: the input plus the embedding, documents and scores columns.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A training column is missing or mistyped.</exception>
    public SchemaShape GetOutputSchema(SchemaShape inputSchema) => OutputSchema(_mlContext, _options, inputSchema);

    /// <summary>Checks the training columns of <paramref name="options"/> in <paramref name="inputSchema"/> and adds the output columns.</summary>
    internal static SchemaShape OutputSchema(MLContext mlContext, DualEncoderOptions options, SchemaShape inputSchema)
    {
        foreach (var requirement in TrainingPairs.Requirements(options))
        {
            requirement.CheckIn(inputSchema);
        }

        return AddedColumns.Add(
            mlContext,
            inputSchema,
            (options.QueryEmbeddingColumnName, options.Trainer.Dimension),
            (options.ScoresColumnName, options.TopK),
            options.DocumentsColumnName);
    }

    /// <summary>Checks the options every dual-encoder estimator shares.</summary>
    internal static void Validate(DualEncoderOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Trainer.Validate();
        if (options.ValidationFraction is < 0 or >= 1)
        {
            throw new ArgumentOutOfRangeException(nameof(options), $"ValidationFraction must be in [0, 1), found {options.ValidationFraction}");
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(options.TopK, 1, nameof(options.TopK));
        _ = TrainingPairs.Requirements(options);
    }

    /// <summary>The run's data: every pair's closure (held-out pairs included, for masking), with the held-out pairs kept out of training and a validation fraction of the others.</summary>
    internal static RunInput Input(TrainingPairs pairs, DualEncoderOptions options) => new(
        "an ML.NET view",
        pairs.Names,
        TransitiveClosure.FromPairs(pairs.Names.Count, pairs.Pairs.Concat(pairs.HeldOut)),
        new KnownHeldOutSplitPolicy(pairs.HeldOut, options.ValidationFraction, options.Trainer.Seed));

    /// <summary>The training run of Fit: the trainer and validation settings, the checkpoint, the logger.</summary>
    internal static TrainingRun Run(DualEncoderOptions options) =>
        new(new TrainingRunOptions { Trainer = options.Trainer, Validation = options.Validation, CheckpointPath = options.CheckpointPath }, options.Logger);
}
