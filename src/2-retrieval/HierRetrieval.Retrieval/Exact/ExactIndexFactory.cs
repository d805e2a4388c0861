namespace HierRetrieval.Retrieval.Exact;

/// <summary>Creates <see cref="ExactIndex"/>es with one set of options: the default index and score rows of every consumer.</summary>
/// <param name="options">Threads and block size of every index created (null: all cores).</param>
public sealed class ExactIndexFactory(ExactIndexOptions? options = null) : IVectorIndexFactory, IScoreMatrixFactory
{
    /// <summary>Exact indexes on all cores.</summary>
    public static ExactIndexFactory AllCores { get; } = new();

    /// <summary>Exact indexes on <paramref name="threads"/> threads; 0 or less means all cores.</summary>
    public static ExactIndexFactory WithThreads(int threads) =>
        threads > 0 ? new ExactIndexFactory(new ExactIndexOptions { Threads = threads }) : AllCores;

    /// <inheritdoc />
    public IVectorIndex CreateIndex(int dimension) => new ExactIndex(dimension, options);

    /// <inheritdoc />
    public IScoreMatrix CreateScoreMatrix(EmbeddingMatrix documents) => new ExactIndex(documents, options);
}
