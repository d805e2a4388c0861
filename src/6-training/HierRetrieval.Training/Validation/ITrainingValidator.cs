using HierRetrieval.Retrieval;

namespace HierRetrieval.Training.Validation;

/// <summary>The numbers of one validation point: recall@|S(q)| overall, by distance, and the lowest bucket.</summary>
/// <param name="Overall">Recall over all validation pairs.</param>
/// <param name="Min">The lowest recall over distance buckets.</param>
/// <param name="MinDistance">The distance bucket of <paramref name="Min"/>.</param>
/// <param name="RecallByDistance">Recall of each distance bucket.</param>
public sealed record ValidationResult(double Overall, double Min, int MinDistance, IReadOnlyDictionary<int, double> RecallByDistance);

/// <summary>
/// Measures the towers at a validation point, for early stopping and the training curve. The trainer knows only
/// this interface; the training run supplies one that evaluates held-out pairs of the hierarchy.
/// </summary>
public interface ITrainingValidator
{
    /// <summary>
    /// What is validated (pairs, sampling, buckets), recorded in checkpoints so that a run resumes only with the
    /// same validation.
    /// </summary>
    string Description { get; }

    /// <summary>Evaluates the query and document embeddings of every item.</summary>
    ValidationResult Validate(NodeEmbeddings embeddings, CancellationToken cancellationToken);
}
