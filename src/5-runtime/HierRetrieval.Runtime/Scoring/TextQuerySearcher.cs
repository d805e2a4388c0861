using HierRetrieval.Retrieval;
using HierRetrieval.Retrieval.Exact;

namespace HierRetrieval.Runtime.Scoring;

/// <summary>Query texts searched among a saved text model's own documents: batches embedded by the model's query side, then the index's top k.</summary>
public sealed class TextQuerySearcher : IQuerySearcher
{
    private readonly ITextModelScorer _scorer;
    private readonly IVectorIndex _index;

    /// <summary>Indexes the documents the model carries; <paramref name="indexes"/> of null uses an exact index on all cores. The searcher owns <paramref name="scorer"/> from here on.</summary>
    public TextQuerySearcher(ITextModelScorer scorer, IVectorIndexFactory? indexes = null)
    {
        _scorer = scorer;
        _index = (indexes ?? ExactIndexFactory.AllCores).CreateIndex(scorer.Model.Documents.Dimension);
        _index.Add(scorer.Model.Documents.Values);
    }

    /// <inheritdoc/>
    public int Documents => _scorer.Model.Documents.Rows;

    /// <inheritdoc/>
    public string? Refusal(string query) => string.IsNullOrWhiteSpace(query) ? "the query is empty" : null;

    /// <inheritdoc/>
    public SearchResult Search(IReadOnlyList<string> queries, int k, CancellationToken cancellationToken = default) =>
        _index.Search(_scorer.EmbedQueries(queries).Values, k, cancellationToken);

    /// <inheritdoc/>
    public string DocumentName(int row) => _scorer.Model.DocumentNames[row];

    /// <summary>Releases the index and the scorer.</summary>
    public void Dispose()
    {
        _index.Dispose();
        _scorer.Dispose();
    }
}
