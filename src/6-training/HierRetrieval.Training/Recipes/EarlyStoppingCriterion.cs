using HierRetrieval.Training.Validation;

namespace HierRetrieval.Training.Recipes;

/// <summary>Which validation number picks the best checkpoint of a stage.</summary>
public enum EarlyStoppingMetric
{
    /// <summary>Recall@|S(q)| over all validation pairs.</summary>
    Overall,

    /// <summary>The lowest recall over distance buckets.</summary>
    Min,

    /// <summary>w x min + (1 - w) x overall, with w = <see cref="EarlyStoppingCriterion.MinWeight"/>.</summary>
    Weighted,
}

/// <summary>The validation score a stage maximises, and how long it waits for an improvement.</summary>
public sealed record EarlyStoppingCriterion
{
    /// <summary>The metric to maximise.</summary>
    public EarlyStoppingMetric Metric { get; init; } = EarlyStoppingMetric.Overall;

    /// <summary>Weight of min recall in <see cref="EarlyStoppingMetric.Weighted"/>.</summary>
    public double MinWeight { get; init; } = 0.5;

    /// <summary>Validation points without improvement after which the stage stops; 0 never stops early.</summary>
    public int Patience { get; init; }

    /// <summary>The score of <paramref name="metrics"/> under this criterion.</summary>
    public double Score(ValidationResult metrics) => Metric switch
    {
        EarlyStoppingMetric.Overall => metrics.Overall,
        EarlyStoppingMetric.Min => metrics.Min,
        _ => (MinWeight * metrics.Min) + ((1 - MinWeight) * metrics.Overall),
    };
}
