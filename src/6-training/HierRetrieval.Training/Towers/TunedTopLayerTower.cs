using System.Runtime.InteropServices;
using HierRetrieval.Export.Onnx;
using HierRetrieval.Retrieval;
using static TorchSharp.torch;

namespace HierRetrieval.Training.Towers;

/// <summary>
/// A tower over a pretrained sentence encoder whose top layer is tuned: each item's token states below that layer
/// (computed once, outside training) pass through the layer (initialised with the encoder's weights and updated at
/// a fraction of the stage's learning rate), are pooled and L2-normalised as the encoder does, then go through a
/// trainable head as in <see cref="BackboneTower"/> and are L2-normalised again.
/// </summary>
public sealed class TunedTopLayerTower : ITrainableTower
{
    private const int EmbedBatch = 256;
    private const float MaskedScore = -10000f;
    private readonly TokenStates _states;
    private readonly EncoderLayerWeights _layer;
    private readonly BackbonePooling _pooling;
    private readonly DenseParameters _parameters;
    private readonly bool _hasHidden;
    private readonly Device _device;

    /// <summary>Creates the tower with the layer's pretrained weights and a seeded head.</summary>
    /// <param name="states">Each item's token states entering the layer.</param>
    /// <param name="layer">The encoder's top layer.</param>
    /// <param name="pooling">How the encoder pools its token states.</param>
    /// <param name="dimension">Length of the tower's embeddings.</param>
    /// <param name="head">The head's shape (per-item vectors are not supported here).</param>
    /// <param name="layerLearningRateScale">The layer's learning rate as a multiple of the stage's (the head's).</param>
    /// <param name="seed">Seeds the head's initial values.</param>
    /// <param name="device">Where training runs.</param>
    public TunedTopLayerTower(TokenStates states, EncoderLayerWeights layer, BackbonePooling pooling, int dimension, BackboneTowerOptions head, double layerLearningRateScale, long seed, Device device)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(states.Count, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(dimension, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(layerLearningRateScale);
        ArgumentOutOfRangeException.ThrowIfNotEqual(states.Dimension, layer.Hidden, nameof(states));
        if (head.ItemEmbeddings)
        {
            throw new ArgumentException("a tuned top layer takes no per-item vectors", nameof(head));
        }

        _states = states;
        _layer = layer;
        _pooling = pooling;
        _device = device;
        _hasHidden = head.HiddenSize > 0;
        ItemCount = states.Count;
        Dimension = dimension;
        using var generator = new Generator((ulong)seed);
        Tensor Init(long[] shape, double scale)
        {
            using var values = Initialization.Normal(shape, scale, generator);
            return values.to(device);
        }

        var parameters = BackboneHead.Create(layer.Hidden, head.HiddenSize, dimension, Init, device).Select(p => (p.Name, p.Value, 1.0)).ToList();
        foreach (string name in EncoderLayerWeights.Names)
        {
            using var host = HostTensor.Copy(layer.Values[name], layer.ShapeOf(name));
            parameters.Add(("layer." + name, host.to(device), layerLearningRateScale));
        }

        _parameters = new DenseParameters(parameters);
    }

    /// <inheritdoc />
    public int ItemCount { get; }

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
        foreach (int item in batch)
        {
            ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual((uint)item, (uint)ItemCount, nameof(items));
        }

        return _parameters.Begin(() => Forward(batch));
    }

    /// <inheritdoc />
    public void ResetOptimizer() => _parameters.ResetOptimizer();

    /// <inheritdoc />
    public EmbeddingMatrix EmbedAll()
    {
        var result = new EmbeddingMatrix(ItemCount, Dimension);
        int[] order = [.. Enumerable.Range(0, ItemCount).OrderBy(_states.LengthOf)];
        using var noGrad = no_grad();
        for (int start = 0; start < ItemCount; start += EmbedBatch)
        {
            using var scope = NewDisposeScope();
            int[] batch = order[start..Math.Min(start + EmbedBatch, ItemCount)];
            using var embeddings = Forward(batch).cpu().contiguous();
            ReadOnlySpan<float> values = embeddings.data<float>().ToArray();
            for (int r = 0; r < batch.Length; r++)
            {
                values.Slice(r * Dimension, Dimension).CopyTo(result.Row(batch[r]));
            }
        }

        return result;
    }

    /// <summary>
    /// The encoder's own sentence embeddings of <paramref name="items"/> through the layer as it stands (pooled and
    /// L2-normalised; before the head), row by row in the given order.
    /// </summary>
    public EmbeddingMatrix EncodeSentences(IReadOnlyList<int> items)
    {
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        using var sentences = Sentences([.. items]).cpu().contiguous();
        return new EmbeddingMatrix(items.Count, _layer.Hidden, sentences.data<float>().ToArray());
    }

    /// <inheritdoc />
    public void Dispose() => _parameters.Dispose();

    private Tensor Forward(int[] items)
    {
        using var sentences = Sentences(items);
        using var projected = BackboneHead.Apply(sentences, _parameters, 0, _hasHidden);
        return nn.functional.normalize(projected, p: 2, dim: 1);
    }

    /// <summary>The layer, pooling and normalisation: unit-norm sentence embeddings (items, hidden).</summary>
    private Tensor Sentences(int[] items)
    {
        int hidden = _layer.Hidden;
        int tokens = items.Max(_states.LengthOf);
        using var scope = NewDisposeScope();
        var half = zeros([items.Length, tokens, hidden], ScalarType.Float16);
        var halfValues = MemoryMarshal.Cast<byte, Half>(half.bytes);
        var mask = new float[items.Length * tokens];
        for (int r = 0; r < items.Length; r++)
        {
            var states = _states.StatesOf(items[r]);
            states.CopyTo(halfValues.Slice(r * tokens * hidden, states.Length));
            mask.AsSpan(r * tokens, _states.LengthOf(items[r])).Fill(1f);
        }

        var x = half.to(ScalarType.Float32).to(_device);
        var keep = HostTensor.Copy(mask, [items.Length, tokens]).to(_device);
        var layerOutput = Layer(x, keep);
        var pooled = _pooling == BackbonePooling.Mean
            ? layerOutput.mul(keep.unsqueeze(2)).sum(1).div(keep.sum(1, keepdim: true))
            : layerOutput.select(1, 0);
        return nn.functional.normalize(pooled, p: 2, dim: 1).MoveToOuterDisposeScope();
    }

    /// <summary>One post-norm BERT layer over token states <paramref name="x"/> (batch, tokens, hidden), padding masked by <paramref name="keep"/>.</summary>
    private Tensor Layer(Tensor x, Tensor keep)
    {
        int first = BackboneHead.Count(_hasHidden);
        Tensor W(int i) => _parameters[first + i];
        long batch = x.shape[0], tokens = x.shape[1];
        int heads = _layer.Heads, headSize = _layer.Hidden / _layer.Heads;
        Tensor Project(Tensor input, int weight) => input.matmul(W(weight)).add(W(weight + 1));
        Tensor Split(Tensor t) => t.view(batch, tokens, heads, headSize).permute(0, 2, 1, 3);
        var query = Split(Project(x, 0));
        var key = Split(Project(x, 2));
        var value = Split(Project(x, 4));
        var masked = keep.neg().add(1f).mul(MaskedScore).view(batch, 1, 1, tokens);
        var scores = query.matmul(key.transpose(2, 3)).div(Math.Sqrt(headSize)).add(masked);
        var context = scores.softmax(-1).matmul(value).permute(0, 2, 1, 3).reshape(batch, tokens, _layer.Hidden);
        long[] normalized = [_layer.Hidden];
        var attended = nn.functional.layer_norm(Project(context, 6).add(x), normalized, W(8), W(9), _layer.LayerNormEpsilon);
        var intermediate = nn.functional.gelu(Project(attended, 10));
        return nn.functional.layer_norm(Project(intermediate, 12).add(attended), normalized, W(14), W(15), _layer.LayerNormEpsilon);
    }
}
