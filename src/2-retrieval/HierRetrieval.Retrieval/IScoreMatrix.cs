namespace HierRetrieval.Retrieval;

/// <summary>
/// Full score rows: the score of every document for each query, which exhaustive evaluation ranks (a top-k search
/// is not enough to place every match of a query). Scores are inner products, higher is better.
/// </summary>
public interface IScoreMatrix : IDisposable
{
    /// <summary>Length of every vector.</summary>
    int Dimension { get; }

    /// <summary>Number of documents.</summary>
    int Count { get; }

    /// <summary>
    /// Scores every query (row-major) against every document: <paramref name="scores"/>[q * <see cref="Count"/> + d]
    /// receives the score of query q and document d.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="scores"/> is shorter than queries x documents.</exception>
    void ComputeScores(ReadOnlySpan<float> queries, Memory<float> scores, CancellationToken cancellationToken = default);
}

/// <summary>Creates the full score rows of a document set for an evaluator.</summary>
public interface IScoreMatrixFactory
{
    /// <summary>Score rows over the rows of <paramref name="documents"/>: document i is row i.</summary>
    IScoreMatrix CreateScoreMatrix(EmbeddingMatrix documents);
}
