namespace HierRetrieval.Retrieval;

/// <summary>
/// A searchable set of document vectors scored by inner product (cosine for unit-norm vectors), higher is
/// better. Documents are identified by the order they were added: 0, 1, 2, ... Exact and approximate
/// indexes implement it; searches may run concurrently with each other but not with <see cref="Add"/>.
/// </summary>
public interface IVectorIndex : IDisposable
{
    /// <summary>Length of every vector.</summary>
    int Dimension { get; }

    /// <summary>Number of documents added.</summary>
    int Count { get; }

    /// <summary>Appends documents given row-major, <see cref="Dimension"/> values each.</summary>
    void Add(ReadOnlySpan<float> vectors);

    /// <summary>
    /// The <paramref name="k"/> best documents of every query (queries row-major), best first; ties go to
    /// the lower document id. Rows have -1 ids when the index holds fewer than k documents.
    /// </summary>
    SearchResult Search(ReadOnlySpan<float> queries, int k, CancellationToken cancellationToken = default);
}
