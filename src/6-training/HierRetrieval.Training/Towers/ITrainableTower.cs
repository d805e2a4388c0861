using HierRetrieval.Retrieval;
using static TorchSharp.torch;

namespace HierRetrieval.Training.Towers;

/// <summary>
/// One side of a dual encoder: maps items (node indices, or rows of a text table in later towers) to unit-norm
/// embeddings, and owns its parameters and optimizer state so that each tower can update the way that suits it
/// (row-sparse for lookup tables, dense for networks).
/// </summary>
public interface ITrainableTower : IDisposable
{
    /// <summary>Number of items the tower can embed.</summary>
    int ItemCount { get; }

    /// <summary>Length of each embedding.</summary>
    int Dimension { get; }

    /// <summary>The tensors a checkpoint must hold to resume: parameters first, then optimizer state.</summary>
    IReadOnlyList<NamedTensor> State { get; }

    /// <summary>The learned parameters only: what a model keeps.</summary>
    IReadOnlyList<NamedTensor> Parameters { get; }

    /// <summary>Starts a training step: embeds <paramref name="items"/> with gradients enabled.</summary>
    ITowerStep Begin(ReadOnlySpan<int> items);

    /// <summary>Clears the optimizer state, as a new optimizer for a new training stage would start.</summary>
    void ResetOptimizer();

    /// <summary>Embeds every item (no gradients) into a host matrix, row i = item i.</summary>
    EmbeddingMatrix EmbedAll();
}

/// <summary>A named tensor of a tower's state (parameters or optimizer moments).</summary>
public readonly record struct NamedTensor(string Name, Tensor Tensor);
