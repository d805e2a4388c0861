using HierRetrieval.Export.Models;
using HierRetrieval.Retrieval;
using HierRetrieval.Retrieval.Exact;
using HierRetrieval.Runtime.Scoring;

namespace HierRetrieval.Runtime.Tests;

public class BatchScorerTests
{
    [Test]
    public void Search_UsesTheIndexOfTheGivenFactory()
    {
        var queries = new EmbeddingMatrix(2, 2, [1, 0, 0, 1]);
        var documents = new EmbeddingMatrix(3, 2, [0.6f, 0.8f, 1, 0, 0, 1]);
        var model = ExportedRetrievalModel.FromEmbeddings(["q1", "q2"], queries, ["a", "b", "c"], documents, k: 2);
        var factory = new CountingFactory();
        using var scorer = new BatchScorer(model, factory);
        Assert.That(scorer.TryGetQueryId("q2", out long id), Is.True);
        var result = scorer.Search([id], k: 2);
        Assert.Multiple(() =>
        {
            Assert.That(factory.Created, Is.EqualTo(1));
            Assert.That(factory.Searches, Is.EqualTo(1));
            Assert.That(result.IdsOf(0).ToArray().Select(scorer.DocumentName), Is.EqualTo(new[] { "c", "a" }));
        });
    }

    /// <summary>Counts the indexes it creates and the searches made on them.</summary>
    private sealed class CountingFactory : IVectorIndexFactory
    {
        public int Created { get; private set; }

        public int Searches { get; set; }

        public IVectorIndex CreateIndex(int dimension)
        {
            Created++;
            return new Counting(new ExactIndex(dimension), this);
        }

        private sealed class Counting(ExactIndex inner, CountingFactory owner) : IVectorIndex
        {
            public int Dimension => inner.Dimension;

            public int Count => inner.Count;

            public void Add(ReadOnlySpan<float> vectors) => inner.Add(vectors);

            public SearchResult Search(ReadOnlySpan<float> queries, int k, CancellationToken cancellationToken = default)
            {
                owner.Searches++;
                return inner.Search(queries, k, cancellationToken);
            }

            public void Dispose() => inner.Dispose();
        }
    }
}
