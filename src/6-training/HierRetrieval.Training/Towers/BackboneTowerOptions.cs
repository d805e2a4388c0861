namespace HierRetrieval.Training.Towers;

/// <summary>Shape and initialisation of a <see cref="BackboneTower"/>'s head.</summary>
public sealed record BackboneTowerOptions
{
    /// <summary>Width of the head's hidden layer; 0 makes the head one linear map from the backbone embedding.</summary>
    public int HiddenSize { get; init; } = 512;

    /// <summary>
    /// Adds a trainable vector per item to the head's output (a hybrid tower): items known at training time keep what
    /// their links taught them beyond their text. An item never trained keeps its small initial vector.
    /// </summary>
    public bool ItemEmbeddings { get; init; }

    /// <summary>Standard deviation of the initial item vectors.</summary>
    public double ItemInitialScale { get; init; } = 0.01;
}
