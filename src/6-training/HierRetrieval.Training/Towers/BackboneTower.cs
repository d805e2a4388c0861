using HierRetrieval.Export.Onnx;
using HierRetrieval.Retrieval;
using static TorchSharp.torch;

namespace HierRetrieval.Training.Towers;

/// <summary>
/// A tower over a frozen pretrained encoder: each item's backbone embedding (computed once, outside training) passes
/// through a trainable head, optionally plus a trainable vector of its own (<see cref="BackboneTowerOptions.ItemEmbeddings"/>),
/// and is L2-normalised. Parameters are updated with dense Adam.
/// </summary>
/// <remarks>
/// embedding(i) = normalize(W2 · relu(W1 · x_i + b1) + b2 [+ e_i]), or normalize(W · x_i + b [+ e_i]) with no hidden
/// layer, where x_i is item i's backbone embedding.
/// </remarks>
public sealed class BackboneTower : ITrainableTower
{
    private const int EmbedBatch = 4096;
    private readonly Tensor _inputs;
    private readonly DenseParameters _parameters;
    private readonly bool _hasHidden;
    private readonly bool _hasItems;
    private readonly Device _device;

    /// <summary>Creates a head over <paramref name="inputs"/> (row i = item i's backbone embedding) with seeded initial values.</summary>
    public BackboneTower(EmbeddingMatrix inputs, int dimension, BackboneTowerOptions options, long seed, Device device)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(inputs.Rows, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(dimension, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(options.HiddenSize);
        ItemCount = inputs.Rows;
        Dimension = dimension;
        InputDimension = inputs.Dimension;
        _device = device;
        _hasHidden = options.HiddenSize > 0;
        _hasItems = options.ItemEmbeddings;
        using (var host = HostTensor.Copy(inputs.Values, [inputs.Rows, inputs.Dimension]))
        {
            _inputs = host.to(device);
        }

        using var generator = new Generator((ulong)seed);
        Tensor Init(long[] shape, double scale)
        {
            using var values = Initialization.Normal(shape, scale, generator);
            return values.to(device);
        }

        var parameters = BackboneHead.Create(InputDimension, options.HiddenSize, dimension, Init, device);
        if (_hasItems)
        {
            parameters.Add(("items", Init([ItemCount, dimension], options.ItemInitialScale)));
        }

        _parameters = new DenseParameters(parameters);
    }

    /// <inheritdoc />
    public int ItemCount { get; }

    /// <inheritdoc />
    public int Dimension { get; }

    /// <summary>Length of the backbone embeddings the head reads.</summary>
    public int InputDimension { get; }

    /// <inheritdoc />
    public IReadOnlyList<NamedTensor> Parameters => _parameters.Parameters;

    /// <inheritdoc />
    public IReadOnlyList<NamedTensor> State => _parameters.State;

    /// <inheritdoc />
    public ITowerStep Begin(ReadOnlySpan<int> items)
    {
        long[] batch = Indices(items);
        return _parameters.Begin(() => Forward(batch));
    }

    /// <inheritdoc />
    public void ResetOptimizer() => _parameters.ResetOptimizer();

    /// <inheritdoc />
    public EmbeddingMatrix EmbedAll()
    {
        var result = new EmbeddingMatrix(ItemCount, Dimension);
        using var noGrad = no_grad();
        for (int start = 0; start < ItemCount; start += EmbedBatch)
        {
            using var scope = NewDisposeScope();
            int count = Math.Min(EmbedBatch, ItemCount - start);
            long[] items = [.. Enumerable.Range(start, count).Select(i => (long)i)];
            var embeddings = Forward(items).cpu().contiguous();
            embeddings.data<float>().CopyTo(result.Values.Slice(start * Dimension, count * Dimension));
        }

        return result;
    }

    /// <summary>The head's weights, for export (a saved model embeds any text with the head alone).</summary>
    /// <exception cref="InvalidOperationException">The tower is hybrid: its per-item vectors belong to the training items and have no place in an exported head.</exception>
    public BackboneHeadWeights ExportWeights()
    {
        if (_hasItems)
        {
            throw new InvalidOperationException("a hybrid tower (per-item vectors) cannot be exported: a saved model embeds new texts with the head alone");
        }

        float[] Host(int i) => _parameters[i].detach().cpu().contiguous().data<float>().ToArray();
        return _hasHidden
            ? new BackboneHeadWeights(InputDimension, (int)_parameters[0].shape[1], Dimension, Host(0), Host(1), Host(2), Host(3))
            : new BackboneHeadWeights(InputDimension, 0, Dimension, [], [], Host(0), Host(1));
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _inputs.Dispose();
        _parameters.Dispose();
    }

    private long[] Indices(ReadOnlySpan<int> items)
    {
        var indices = new long[items.Length];
        for (int i = 0; i < items.Length; i++)
        {
            indices[i] = (uint)items[i] < (uint)ItemCount
                ? items[i]
                : throw new ArgumentOutOfRangeException(nameof(items), $"item {items[i]} is outside the tower's {ItemCount} items");
        }

        return indices;
    }

    private Tensor Forward(long[] items)
    {
        using var index = tensor(items, device: _device);
        using var inputs = _inputs.index_select(0, index);
        using var projected = BackboneHead.Apply(inputs, _parameters, 0, _hasHidden);
        using var output = _hasItems ? projected.add(_parameters[BackboneHead.Count(_hasHidden)].index_select(0, index)) : projected.alias();
        return nn.functional.normalize(output, p: 2, dim: 1);
    }
}
