using HierRetrieval.Retrieval;

namespace HierRetrieval.Runtime.Scoring;

/// <summary>What <see cref="QueryFileScorer"/> needs of a model: which queries it can score, the top k of a batch of them, and the documents' names.</summary>
public interface IQuerySearcher : IDisposable
{
    /// <summary>Number of documents.</summary>
    int Documents { get; }

    /// <summary>Why the model cannot score <paramref name="query"/>, or null when it can.</summary>
    string? Refusal(string query);

    /// <summary>The top <paramref name="k"/> documents (rows, best first) of each query; every query was accepted by <see cref="Refusal"/>.</summary>
    SearchResult Search(IReadOnlyList<string> queries, int k, CancellationToken cancellationToken = default);

    /// <summary>The name of document row <paramref name="row"/>.</summary>
    string DocumentName(int row);
}
