using HierRetrieval.Retrieval;
using HierRetrieval.Retrieval.Exact;

namespace HierRetrieval.Studies.HeldOut;

/// <summary>
/// Lookup tables made inductive by text similarity: each unseen node borrows the trained query and document rows of
/// the seen node nearest to it by a frozen sentence encoder's embeddings of their texts. Where that neighbour is a
/// sibling or the parent, its rows already retrieve the unseen node's ancestors.
/// </summary>
public static class NeighbourRows
{
    /// <summary>
    /// <paramref name="trained"/> with the rows of every node in <paramref name="unseen"/> replaced by those of its
    /// nearest seen node by <paramref name="texts"/> (inner product; ties to the lower node), and that neighbour of each.
    /// </summary>
    /// <param name="trained">The lookup tables' rows, one per node.</param>
    /// <param name="texts">The encoder's unit-norm embedding of each node's text.</param>
    /// <param name="unseen">The nodes training never saw.</param>
    /// <param name="threads">Search threads.</param>
    public static (NodeEmbeddings Embeddings, IReadOnlyDictionary<int, int> Neighbour) Borrow(
        NodeEmbeddings trained, EmbeddingMatrix texts, IReadOnlySet<int> unseen, int threads)
    {
        ArgumentOutOfRangeException.ThrowIfNotEqual(texts.Rows, trained.Queries.Rows, nameof(texts));
        int[] seen = [.. Enumerable.Range(0, texts.Rows).Where(n => !unseen.Contains(n))];
        int[] targets = [.. unseen.Order()];
        using var index = new ExactIndex(texts.SelectRows(seen), new ExactIndexOptions { Threads = threads });
        var nearest = index.Search(texts.SelectRows(targets).Values, k: 1);
        var queries = new EmbeddingMatrix(texts.Rows, trained.Queries.Dimension, trained.Queries.Values.ToArray());
        var documents = new EmbeddingMatrix(texts.Rows, trained.Documents.Dimension, trained.Documents.Values.ToArray());
        var neighbour = new Dictionary<int, int>(targets.Length);
        for (int i = 0; i < targets.Length; i++)
        {
            int from = seen[nearest.IdsOf(i)[0]];
            neighbour[targets[i]] = from;
            trained.Queries.Row(from).CopyTo(queries.Row(targets[i]));
            trained.Documents.Row(from).CopyTo(documents.Row(targets[i]));
        }

        return (new NodeEmbeddings(queries, documents), neighbour);
    }
}
