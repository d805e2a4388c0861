namespace HierRetrieval.Runtime.Zips;

/// <summary>The column a retrieval chain reads and the columns it adds.</summary>
public sealed record RetrievalColumns
{
    /// <summary>The text column of queries.</summary>
    public string Query { get; init; } = "Query";

    /// <summary>The added column of query embeddings (float vector of the embedding dimension).</summary>
    public string QueryEmbedding { get; init; } = "QueryEmbedding";

    /// <summary>The added column of the top-k document names, best first.</summary>
    public string Documents { get; init; } = "Documents";

    /// <summary>The added column of the top-k cosine scores, descending.</summary>
    public string Scores { get; init; } = "Scores";
}
