using HierRetrieval.Training.Optimization;
using static TorchSharp.torch;

namespace HierRetrieval.Training.Towers;

/// <summary>One training step of a tower: the batch's embeddings, then the update once gradients are known.</summary>
public interface ITowerStep : IDisposable
{
    /// <summary>Unit-norm embeddings of the step's items, (items, dim), part of the autograd graph.</summary>
    Tensor Embeddings { get; }

    /// <summary>Applies Adam to what this step touched, after the loss's backward pass.</summary>
    /// <param name="settings">Betas and epsilon.</param>
    /// <param name="learningRate">Step size.</param>
    /// <param name="step">1-based optimizer step count, for bias correction.</param>
    void Update(AdamSettings settings, double learningRate, long step);
}
