namespace HierRetrieval.Training.Towers;

/// <summary>Shape and initialisation of a <see cref="TextTower"/>.</summary>
public sealed record TextTowerOptions
{
    /// <summary>Width of the feature embeddings and of the hidden layer.</summary>
    public int HiddenSize { get; init; } = 128;

    /// <summary>Standard deviation of the initial feature embeddings.</summary>
    public double InitialScale { get; init; } = 0.05;
}
