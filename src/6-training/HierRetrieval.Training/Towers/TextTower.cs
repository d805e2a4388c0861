using HierRetrieval.Data.Features;
using HierRetrieval.Export.Onnx;
using HierRetrieval.Retrieval;
using TorchSharp;
using static TorchSharp.torch;

namespace HierRetrieval.Training.Towers;

/// <summary>
/// A text tower trained from scratch: an embedding bag over each item's sparse features (the weighted mean of feature
/// embeddings), a two-layer MLP with ReLU, and unit-norm output. Parameters are updated with dense Adam.
/// </summary>
/// <remarks>
/// embedding(x) = normalize(W2 · relu(W1 · (Σ_f c_f E_f / max(Σ_f c_f, 1)) + b1) + b2): the same function the
/// exported ONNX graph computes from the feature-count vector. One instance may serve as both towers (shared
/// weights): its gradient then sums both sides, and it is updated once per batch.
/// </remarks>
public sealed class TextTower : ITrainableTower
{
    private const int EmbedBatch = 4096;
    private readonly FeatureBags _bags;
    private readonly Device _device;
    private readonly DenseParameters _parameters;

    /// <summary>Creates a tower over <paramref name="bags"/> with seeded initial values.</summary>
    public TextTower(FeatureBags bags, int dimension, TextTowerOptions options, long seed, Device device)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(dimension, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.HiddenSize, 1);
        _bags = bags;
        _device = device;
        Dimension = dimension;
        int hidden = options.HiddenSize;
        using var generator = new Generator((ulong)seed);
        Tensor Init(long[] shape, double scale)
        {
            using var values = Initialization.Normal(shape, scale, generator);
            return values.to(device);
        }

        _parameters = new DenseParameters(
        [
            ("features", Init([bags.FeatureCount, hidden], options.InitialScale)),
            ("hidden.weight", Init([hidden, hidden], Math.Sqrt(2.0 / hidden))),
            ("hidden.bias", zeros(hidden, device: device)),
            ("output.weight", Init([hidden, dimension], Math.Sqrt(1.0 / hidden))),
            ("output.bias", zeros(dimension, device: device)),
        ]);
    }

    /// <inheritdoc />
    public int ItemCount => _bags.ItemCount;

    /// <inheritdoc />
    public int Dimension { get; }

    /// <inheritdoc />
    public IReadOnlyList<NamedTensor> Parameters => _parameters.Parameters;

    /// <inheritdoc />
    public IReadOnlyList<NamedTensor> State => _parameters.State;

    /// <inheritdoc />
    public ITowerStep Begin(ReadOnlySpan<int> items)
    {
        int[] batch = items.ToArray();
        return _parameters.Begin(() => Forward(batch));
    }

    /// <inheritdoc />
    public void ResetOptimizer() => _parameters.ResetOptimizer();

    /// <inheritdoc />
    public EmbeddingMatrix EmbedAll()
    {
        var result = new EmbeddingMatrix(ItemCount, Dimension);
        using var noGrad = no_grad();
        int[] items = [.. Enumerable.Range(0, ItemCount)];
        for (int start = 0; start < ItemCount; start += EmbedBatch)
        {
            using var scope = NewDisposeScope();
            int count = Math.Min(EmbedBatch, ItemCount - start);
            var embeddings = Forward(items.AsSpan(start, count)).cpu().contiguous();
            embeddings.data<float>().CopyTo(result.Values.Slice(start * Dimension, count * Dimension));
        }

        return result;
    }

    /// <summary>The trained weights as host arrays, for the ONNX export: features [F, h], hidden [h, h] and [h], output [h, d] and [d].</summary>
    public TextTowerWeights ExportWeights()
    {
        float[] Host(int i) => _parameters[i].detach().cpu().contiguous().data<float>().ToArray();
        var features = _parameters[0].shape;
        return new TextTowerWeights(Host(0), Host(1), Host(2), Host(3), Host(4), (int)features[0], (int)features[1], Dimension);
    }

    /// <inheritdoc />
    public void Dispose() => _parameters.Dispose();

    private Tensor Forward(ReadOnlySpan<int> items)
    {
        var (features, weights, bagOf) = Gather(items);
        using var featureIds = tensor(features, device: _device);
        using var featureWeights = tensor(weights, device: _device);
        using var bagIndex = tensor(bagOf, device: _device);
        using var rows = _parameters[0].index_select(0, featureIds);
        using var weighted = rows * featureWeights.unsqueeze(1);
        // Scalars are created and disposed explicitly (no operator +): a temporary Scalar can be finalised while libtorch still reads it.
        using Scalar one = 1.0.ToScalar();
        using var sums = zeros([items.Length, _parameters[0].shape[1]], device: _device).index_add(0, bagIndex, weighted, one);
        using var counts = zeros(items.Length, device: _device).index_add(0, bagIndex, featureWeights, one).clamp_min(one);
        using var mean = sums / counts.unsqueeze(1);
        using var hidden = nn.functional.relu(mean.matmul(_parameters[1]).add(_parameters[2], one));
        using var output = hidden.matmul(_parameters[3]).add(_parameters[4], one);
        return nn.functional.normalize(output, p: 2, dim: 1);
    }

    private (long[] Features, float[] Weights, long[] BagOf) Gather(ReadOnlySpan<int> items)
    {
        int total = 0;
        foreach (int item in items)
        {
            if ((uint)item >= (uint)ItemCount)
            {
                throw new ArgumentOutOfRangeException(nameof(items), $"item {item} is outside the tower's {ItemCount} items");
            }

            total += _bags.Offsets[item + 1] - _bags.Offsets[item];
        }

        long[] features = new long[total], bagOf = new long[total];
        float[] weights = new float[total];
        int at = 0;
        for (int b = 0; b < items.Length; b++)
        {
            for (int j = _bags.Offsets[items[b]]; j < _bags.Offsets[items[b] + 1]; j++, at++)
            {
                features[at] = _bags.Features[j];
                weights[at] = _bags.Weights[j];
                bagOf[at] = b;
            }
        }

        return (features, weights, bagOf);
    }
}
