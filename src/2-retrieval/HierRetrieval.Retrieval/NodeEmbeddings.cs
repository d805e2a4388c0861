namespace HierRetrieval.Retrieval;

/// <summary>
/// Query-side and document-side embeddings of the same nodes (row i of each belongs to node i): the output
/// of a dual encoder's two towers, or of a construction.
/// </summary>
public sealed record NodeEmbeddings
{
    /// <summary>Pairs the two matrices.</summary>
    /// <exception cref="ArgumentException">The matrices differ in rows or dimension.</exception>
    public NodeEmbeddings(EmbeddingMatrix queries, EmbeddingMatrix documents)
    {
        if (queries.Rows != documents.Rows || queries.Dimension != documents.Dimension)
        {
            throw new ArgumentException($"query embeddings are {queries.Rows} x {queries.Dimension} but document embeddings are {documents.Rows} x {documents.Dimension}");
        }

        Queries = queries;
        Documents = documents;
    }

    /// <summary>Embeddings from the query tower.</summary>
    public EmbeddingMatrix Queries { get; }

    /// <summary>Embeddings from the document tower.</summary>
    public EmbeddingMatrix Documents { get; }
}
