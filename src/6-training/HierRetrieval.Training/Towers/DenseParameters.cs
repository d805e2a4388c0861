using HierRetrieval.Training.Optimization;
using static TorchSharp.torch;

namespace HierRetrieval.Training.Towers;

/// <summary>
/// The named parameters of a network tower with their Adam moments, updated densely. A tower that serves both sides
/// of a dual encoder (shared weights) gets two steps per batch; only the first updates, with the summed gradient.
/// Each parameter may take its own multiple of the stage's learning rate (pretrained weights tuned gently beside new ones).
/// </summary>
internal sealed class DenseParameters : IDisposable
{
    private readonly string[] _names;
    private readonly Tensor[] _values;
    private readonly Tensor[] _firstMoments;
    private readonly Tensor[] _secondMoments;
    private readonly double[] _learningRateScales;
    private long _lastUpdate;

    public DenseParameters(IReadOnlyList<(string Name, Tensor Value)> parameters)
        : this([.. parameters.Select(p => (p.Name, p.Value, 1.0))])
    {
    }

    /// <param name="parameters">Each parameter with the multiple of the stage's learning rate it is updated with.</param>
    public DenseParameters(IReadOnlyList<(string Name, Tensor Value, double LearningRateScale)> parameters)
    {
        _names = [.. parameters.Select(p => p.Name)];
        _values = [.. parameters.Select(p => p.Value)];
        _learningRateScales = [.. parameters.Select(p => p.LearningRateScale)];
        _firstMoments = [.. _values.Select(p => zeros_like(p))];
        _secondMoments = [.. _values.Select(p => zeros_like(p))];
    }

    public Tensor this[int index] => _values[index];

    public IReadOnlyList<NamedTensor> Parameters => [.. _names.Select((name, i) => new NamedTensor(name, _values[i]))];

    public IReadOnlyList<NamedTensor> State =>
    [
        .. Parameters,
        .. _names.Select((name, i) => new NamedTensor(name + ".adam.m", _firstMoments[i])),
        .. _names.Select((name, i) => new NamedTensor(name + ".adam.v", _secondMoments[i])),
    ];

    /// <summary>Starts a step: turns gradients on and runs <paramref name="forward"/>; the step turns them off when disposed.</summary>
    public ITowerStep Begin(Func<Tensor> forward)
    {
        foreach (var parameter in _values)
        {
            parameter.requires_grad_(true);
        }

        return new Step(this, forward());
    }

    public void ResetOptimizer()
    {
        _lastUpdate = 0;
        foreach (var moment in _firstMoments.Concat(_secondMoments))
        {
            moment.zero_();
        }
    }

    public void Dispose()
    {
        foreach (var tensor in _values.Concat(_firstMoments).Concat(_secondMoments))
        {
            tensor.Dispose();
        }
    }

    private void Update(AdamSettings settings, double learningRate, long step)
    {
        if (step == _lastUpdate)
        {
            return;
        }

        _lastUpdate = step;
        for (int i = 0; i < _values.Length; i++)
        {
            if (_values[i].grad is { } gradient)
            {
                DenseAdam.Update(_values[i], _firstMoments[i], _secondMoments[i], gradient, settings, learningRate * _learningRateScales[i], step);
                using var noGrad = no_grad();
                gradient.zero_();
            }
        }
    }

    /// <summary>A training step: the batch's embeddings; the update applies dense Adam to every parameter.</summary>
    private sealed class Step(DenseParameters parameters, Tensor embeddings) : ITowerStep
    {
        public Tensor Embeddings { get; } = embeddings;

        public void Update(AdamSettings settings, double learningRate, long step) => parameters.Update(settings, learningRate, step);

        public void Dispose()
        {
            Embeddings.Dispose();
            foreach (var parameter in parameters._values)
            {
                parameter.requires_grad_(false);
            }
        }
    }
}
