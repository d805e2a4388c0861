namespace HierRetrieval.Retrieval;

/// <summary>
/// Creates the index that a consumer (batch scoring, shopping evaluation) searches, so that the caller chooses the
/// kind of search (exact, approximate) and its settings.
/// </summary>
public interface IVectorIndexFactory
{
    /// <summary>An empty index for vectors of length <paramref name="dimension"/>; documents are numbered in the order they are added.</summary>
    IVectorIndex CreateIndex(int dimension);
}
