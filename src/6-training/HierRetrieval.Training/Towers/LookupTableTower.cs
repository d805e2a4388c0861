using HierRetrieval.Retrieval;
using HierRetrieval.Training.Optimization;
using static TorchSharp.torch;

namespace HierRetrieval.Training.Towers;

/// <summary>
/// A lookup-table tower: one trainable vector per item, L2-normalised on output. Trained with
/// <see cref="RowSparseAdam"/>: a step gathers only the distinct rows of its batch as a leaf tensor, so the
/// gradient and the update cover those rows and never the whole table.
/// </summary>
public sealed class LookupTableTower : ITrainableTower
{
    private readonly Tensor _table;
    private readonly Tensor _firstMoment;
    private readonly Tensor _secondMoment;
    private readonly Device _device;
    private readonly int[] _positionOf;

    /// <summary>Creates a table of <paramref name="itemCount"/> rows drawn from N(0, <paramref name="initialScale"/>²).</summary>
    /// <param name="itemCount">Number of items (rows).</param>
    /// <param name="dimension">Embedding length.</param>
    /// <param name="seed">Seed of the initial values.</param>
    /// <param name="initialScale">Standard deviation of the initial values: small rows train faster under a cosine loss.</param>
    /// <param name="device">Where the table lives.</param>
    public LookupTableTower(int itemCount, int dimension, long seed, double initialScale, Device device)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(itemCount, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(dimension, 1);
        ItemCount = itemCount;
        Dimension = dimension;
        _device = device;
        using var generator = new Generator((ulong)seed);
        using (var initial = Initialization.Normal([itemCount, dimension], initialScale, generator))
        {
            _table = initial.to(device);
        }

        _firstMoment = zeros_like(_table);
        _secondMoment = zeros_like(_table);
        _positionOf = new int[itemCount];
        Array.Fill(_positionOf, -1);
    }

    /// <inheritdoc />
    public int ItemCount { get; }

    /// <inheritdoc />
    public int Dimension { get; }

    /// <inheritdoc />
    public IReadOnlyList<NamedTensor> Parameters => [new("table", _table)];

    /// <inheritdoc />
    public IReadOnlyList<NamedTensor> State =>
        [new("table", _table), new("adam.m", _firstMoment), new("adam.v", _secondMoment)];

    /// <inheritdoc />
    public ITowerStep Begin(ReadOnlySpan<int> items)
    {
        var (distinct, inverse) = Deduplicate(items);
        var rows = tensor(distinct, device: _device);
        Tensor leaf;
        using (no_grad())
        {
            leaf = _table.index_select(0, rows).requires_grad_(true);
        }

        using var positions = tensor(inverse, device: _device);
        using var gathered = leaf.index_select(0, positions);
        var embeddings = nn.functional.normalize(gathered, p: 2, dim: 1);
        return new Step(this, rows, leaf, embeddings);
    }

    /// <summary>Replaces the table with <paramref name="rows"/> (one row per item), e.g. a pretrained model's embeddings.</summary>
    /// <exception cref="ArgumentException">The shape differs from the table's.</exception>
    public void Load(EmbeddingMatrix rows)
    {
        if (rows.Rows != ItemCount || rows.Dimension != Dimension)
        {
            throw new ArgumentException($"expected {ItemCount} x {Dimension} embeddings, got {rows.Rows} x {rows.Dimension}", nameof(rows));
        }

        using var values = HostTensor.Copy(rows.Values, [ItemCount, Dimension]);
        using var noGrad = no_grad();
        _table.copy_(values);
    }

    /// <inheritdoc />
    public void ResetOptimizer()
    {
        _firstMoment.zero_();
        _secondMoment.zero_();
    }

    /// <inheritdoc />
    public EmbeddingMatrix EmbedAll()
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var normalized = nn.functional.normalize(_table, p: 2, dim: 1).cpu().contiguous();
        return new EmbeddingMatrix(ItemCount, Dimension, normalized.data<float>().ToArray());
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _table.Dispose();
        _firstMoment.Dispose();
        _secondMoment.Dispose();
    }

    private (long[] Distinct, long[] Inverse) Deduplicate(ReadOnlySpan<int> items)
    {
        var distinct = new List<long>(items.Length);
        long[] inverse = new long[items.Length];
        for (int i = 0; i < items.Length; i++)
        {
            int item = items[i];
            if ((uint)item >= (uint)ItemCount)
            {
                throw new ArgumentOutOfRangeException(nameof(items), $"item {item} is outside the table's {ItemCount} rows");
            }

            if (_positionOf[item] < 0)
            {
                _positionOf[item] = distinct.Count;
                distinct.Add(item);
            }

            inverse[i] = _positionOf[item];
        }

        foreach (long item in distinct)
        {
            _positionOf[item] = -1;
        }

        return ([.. distinct], inverse);
    }

    private sealed class Step(LookupTableTower tower, Tensor rows, Tensor leaf, Tensor embeddings) : ITowerStep
    {
        public Tensor Embeddings => embeddings;

        public void Update(AdamSettings settings, double learningRate, long step)
        {
            var gradient = leaf.grad ?? throw new InvalidOperationException("the step has no gradient: run the loss's backward pass first");
            RowSparseAdam.Update(tower._table, tower._firstMoment, tower._secondMoment, rows, gradient, settings, learningRate, step);
        }

        public void Dispose()
        {
            embeddings.Dispose();
            leaf.Dispose();
            rows.Dispose();
        }
    }
}
