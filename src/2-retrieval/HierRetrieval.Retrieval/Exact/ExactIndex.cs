using System.Numerics.Tensors;
using HierRetrieval.Retrieval.Internal;

namespace HierRetrieval.Retrieval.Exact;

/// <summary>
/// Exact (brute-force) inner-product search: every query is scored against every document by a blocked,
/// register-tiled matrix product (SIMD fused multiply-adds, all cores) and the top k are kept in per-query
/// heaps. Ties go to the lower document id, so results are deterministic for any thread count.
/// </summary>
/// <remarks>
/// The index holds its documents once, in the kernel's panel layout: N x d floats, rounded up to whole panels.
/// <see cref="Add"/> packs new rows as they come and grows that array by doubling.
/// </remarks>
public sealed class ExactIndex : IVectorIndex, IScoreMatrix
{
    private readonly ExactIndexOptions _options;
    // Unused lanes and panels past Count stay zero.
    private float[] _packed = [];

    /// <summary>An empty index for vectors of length <paramref name="dimension"/>.</summary>
    public ExactIndex(int dimension, ExactIndexOptions? options = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(dimension, 1);
        _options = options ?? new ExactIndexOptions();
        ArgumentOutOfRangeException.ThrowIfLessThan(_options.Threads, 1, nameof(options));
        ArgumentOutOfRangeException.ThrowIfNegative(_options.QueryBlockSize, nameof(options));
        Dimension = dimension;
    }

    /// <summary>An index holding the rows of <paramref name="documents"/>.</summary>
    public ExactIndex(EmbeddingMatrix documents, ExactIndexOptions? options = null)
        : this(documents.Dimension, options) => Add(documents.Values);

    /// <inheritdoc />
    public int Dimension { get; }

    /// <inheritdoc />
    public int Count { get; private set; }

    /// <inheritdoc />
    /// <exception cref="ArgumentException">The length is not a multiple of the dimension, or a value is not finite.</exception>
    public void Add(ReadOnlySpan<float> vectors)
    {
        int rows = CheckRows(vectors, "documents");
        long needed = (long)PanelsFor(Count + rows) * ScoreKernel.PanelWidth * Dimension;
        if (needed > Array.MaxLength)
        {
            throw new InvalidOperationException($"{Count + rows} documents of dimension {Dimension} are more than one exact index can hold");
        }

        if (needed > _packed.Length)
        {
            Array.Resize(ref _packed, (int)Math.Min(Math.Max(needed, 2L * _packed.Length), Array.MaxLength));
        }

        ScoreKernel.PackInto(vectors, rows, Dimension, _packed, Count);
        Count += rows;
    }

    /// <inheritdoc />
    public SearchResult Search(ReadOnlySpan<float> queries, int k, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(k, 1);
        int queryCount = CheckRows(queries, "queries");
        int kept = Math.Min(k, Count);
        var plan = Plan(queryCount);
        var heaps = new TopKHeaps[plan.Blocks * plan.Shards];
        float[] packed = _packed;
        float[] queryValues = queries.ToArray();
        RunParallel(plan, cancellationToken, (block, shard) =>
        {
            var (rows, buffer) = plan.BlockQueries(queryValues, block, Dimension);
            var blockHeaps = new TopKHeaps(rows, Math.Max(kept, 1));
            var consumer = new TopKConsumer(blockHeaps, rows, Count);
            var (first, end) = plan.ShardPanels(shard);
            ScoreKernel.Run(buffer, buffer.Length / Dimension, packed, Dimension, first, end, ref consumer);
            heaps[(block * plan.Shards) + shard] = blockHeaps;
        });

        int[] ids = new int[queryCount * k];
        float[] scores = new float[queryCount * k];
        for (int block = 0; block < plan.Blocks; block++)
        {
            var merged = heaps[block * plan.Shards];
            for (int shard = 1; shard < plan.Shards; shard++)
            {
                for (int row = 0; row < plan.RowsOf(block); row++)
                {
                    merged.Merge(row, heaps[(block * plan.Shards) + shard], row);
                }
            }

            for (int row = 0; row < plan.RowsOf(block); row++)
            {
                int query = (block * plan.BlockSize) + row;
                merged.WriteSorted(row, ids.AsSpan(query * k, k), scores.AsSpan(query * k, k));
            }
        }

        return new SearchResult(queryCount, k, ids, scores);
    }

    /// <inheritdoc />
    /// <remarks>The same kernel as <see cref="Search"/>, so scores agree bit for bit.</remarks>
    public void ComputeScores(ReadOnlySpan<float> queries, Memory<float> scores, CancellationToken cancellationToken = default)
    {
        int queryCount = CheckRows(queries, "queries");
        if (scores.Length < (long)queryCount * Count)
        {
            throw new ArgumentException($"scores holds {scores.Length} values but {queryCount} x {Count} are needed", nameof(scores));
        }

        var plan = Plan(queryCount);
        float[] packed = _packed;
        float[] queryValues = queries.ToArray();
        RunParallel(plan, cancellationToken, (block, shard) =>
        {
            var (rows, buffer) = plan.BlockQueries(queryValues, block, Dimension);
            var consumer = new DenseConsumer(scores, block * plan.BlockSize, rows, Count);
            var (first, end) = plan.ShardPanels(shard);
            ScoreKernel.Run(buffer, buffer.Length / Dimension, packed, Dimension, first, end, ref consumer);
        });
    }

    /// <summary>Nothing to release: the index is managed memory only.</summary>
    public void Dispose()
    {
    }

    private static int PanelsFor(int documents) => (documents + ScoreKernel.PanelWidth - 1) / ScoreKernel.PanelWidth;

    private int CheckRows(ReadOnlySpan<float> values, string what)
    {
        if (values.Length % Dimension != 0)
        {
            throw new ArgumentException($"{what}: {values.Length} values is not a multiple of the dimension {Dimension}");
        }

        if (!TensorPrimitives.IsFiniteAll(values))
        {
            int bad = 0;
            while (float.IsFinite(values[bad]))
            {
                bad++;
            }

            throw new ArgumentException($"{what}: row {bad / Dimension} holds a non-finite value ({values[bad]})");
        }

        return values.Length / Dimension;
    }

    private void RunParallel(SearchPlan plan, CancellationToken cancellationToken, Action<int, int> work)
    {
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = _options.Threads, CancellationToken = cancellationToken };
        Parallel.For(0, plan.Blocks * plan.Shards, parallel, item => work(item / plan.Shards, item % plan.Shards));
    }

    private SearchPlan Plan(int queryCount)
    {
        int panels = PanelsFor(Count);
        int blockSize = _options.QueryBlockSize > 0 ? _options.QueryBlockSize : Math.Clamp(65536 / Dimension, ScoreKernel.TileRows, 4096);
        int perThread = (queryCount + _options.Threads - 1) / _options.Threads;
        blockSize = Math.Max(ScoreKernel.TileRows, Math.Min(blockSize, RoundUp(perThread, ScoreKernel.TileRows)));
        int blocks = Math.Max(1, (queryCount + blockSize - 1) / blockSize);
        int shards = blocks >= _options.Threads ? 1 : Math.Max(1, Math.Min(_options.Threads / blocks, panels));
        return new SearchPlan(queryCount, blockSize, blocks, shards, panels);
    }

    private static int RoundUp(int value, int multiple) => (value + multiple - 1) / multiple * multiple;

    /// <summary>How a search is cut: query blocks x document shards (ranges of panels).</summary>
    private sealed record SearchPlan(int QueryCount, int BlockSize, int Blocks, int Shards, int Panels)
    {
        public int RowsOf(int block) => Math.Min(BlockSize, QueryCount - (block * BlockSize));

        public (int First, int End) ShardPanels(int shard) => ((int)((long)Panels * shard / Shards), (int)((long)Panels * (shard + 1) / Shards));

        /// <summary>The block's queries copied into a zero-padded buffer whose row count is a multiple of the tile height.</summary>
        public (int Rows, float[] Buffer) BlockQueries(float[] queries, int block, int dimension)
        {
            int rows = RowsOf(block);
            float[] buffer = new float[RoundUp(Math.Max(rows, 1), ScoreKernel.TileRows) * dimension];
            queries.AsSpan(block * BlockSize * dimension, rows * dimension).CopyTo(buffer);
            return (rows, buffer);
        }
    }
}
