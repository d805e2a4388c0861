namespace HierRetrieval.Training.Optimization;

/// <summary>Adam's hyperparameters other than the learning rate, which each training stage sets.</summary>
public sealed record AdamSettings
{
    /// <summary>Decay of the first-moment estimate.</summary>
    public double Beta1 { get; init; } = 0.9;

    /// <summary>Decay of the second-moment estimate.</summary>
    public double Beta2 { get; init; } = 0.999;

    /// <summary>Added to the denominator for numerical stability.</summary>
    public double Epsilon { get; init; } = 1e-8;
}
