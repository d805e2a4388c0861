using HierRetrieval.Data.Hierarchies;
using HierRetrieval.Data.Pairs;
using HierRetrieval.Evaluation;
using HierRetrieval.Retrieval;
using HierRetrieval.Training.Validation;

namespace HierRetrieval.Runs.Validation;

/// <summary>
/// The trainer's validator for a hierarchy: recall@|S(q)| by distance of a seeded sample of the validation
/// queries, computed by <see cref="HierarchyEvaluator"/> against the matches training knows; min recall over the
/// distances from <see cref="ValidationOptions.MinFromDistance"/> (all of them when none of those is validated).
/// </summary>
public sealed class HierarchyValidator : ITrainingValidator
{
    private readonly TransitiveClosure _closure;
    private readonly PairSet _pairs;
    private readonly HierarchyEvaluator _evaluator;

    /// <summary>Samples the validation queries once; every point evaluates the same ones.</summary>
    /// <param name="closure">The matches that define each query's match set.</param>
    /// <param name="validation">The validation pairs.</param>
    /// <param name="options">Sample size and distance buckets.</param>
    /// <param name="seed">Seed of the sample.</param>
    /// <param name="threads">Evaluation threads.</param>
    public HierarchyValidator(TransitiveClosure closure, PairSet validation, ValidationOptions options, int seed, int threads)
    {
        options.Validate();
        _closure = closure;
        _pairs = validation.SampleQueries(options.Queries, seed);
        _evaluator = new HierarchyEvaluator(new HierarchyEvaluatorOptions { Threads = threads, DistanceBucketCap = options.DistanceCap, MinFromDistance = options.MinFromDistance });
        Description = $"{_pairs.Count} pairs of {_pairs.Queries().Length} queries out of {validation.Count} pairs, distance cap {options.DistanceCap?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "none"}, min from distance {options.MinFromDistance}";
    }

    /// <inheritdoc />
    public string Description { get; }

    /// <summary>A validator over <paramref name="validation"/>, or null when there is nothing to validate on.</summary>
    public static HierarchyValidator? For(TransitiveClosure closure, PairSet validation, ValidationOptions options, int seed, int threads) =>
        validation.Count == 0 ? null : new HierarchyValidator(closure, validation, options, seed, threads);

    /// <inheritdoc />
    public ValidationResult Validate(NodeEmbeddings embeddings, CancellationToken cancellationToken)
    {
        var metrics = _evaluator.Evaluate(_closure, embeddings, _pairs, cancellationToken: cancellationToken);
        return new ValidationResult(metrics.Overall, metrics.Min, metrics.MinDistance, metrics.RecallByDistance);
    }
}
