using HierRetrieval.Data.Hierarchies;
using HierRetrieval.Data.Pairs;
using HierRetrieval.Retrieval;
using HierRetrieval.Runs.Validation;

namespace HierRetrieval.Runs.Tests;

public class HierarchyValidatorTests
{
    /// <summary>
    /// A root r with children a and b. Query a ranks b, r, a and query b ranks a, r, b: each finds its parent but not
    /// itself in its top 2, so the self pairs (D0) have recall 1/3 (only r's) and the parent pairs (D1) recall 1.
    /// </summary>
    private static (TransitiveClosure Closure, PairSet Pairs, NodeEmbeddings Embeddings) SelfPairsLost()
    {
        const int r = 0, a = 1, b = 2;
        var closure = TransitiveClosure.FromPairs(3, [new MatchedPair(a, r, 1), new MatchedPair(b, r, 1)]);
        var pairs = PairSet.All(closure);
        var documents = new EmbeddingMatrix(3, 2, [1f, 0f, 0f, 1f, 0f, -1f]);
        var queries = new EmbeddingMatrix(3, 2, [1f, 0f, 0.6f, -0.8f, 0.6f, 0.8f]);
        return (closure, pairs, new NodeEmbeddings(queries, documents));
    }

    [Test]
    public void Validate_MinFromDistance1_LeavesTheSelfPairOutOfMin()
    {
        var (closure, pairs, embeddings) = SelfPairsLost();
        var all = new HierarchyValidator(closure, pairs, new ValidationOptions(), seed: 0, threads: 1).Validate(embeddings, CancellationToken.None);
        var fromD1 = new HierarchyValidator(closure, pairs, new ValidationOptions { MinFromDistance = 1 }, seed: 0, threads: 1).Validate(embeddings, CancellationToken.None);
        Assert.Multiple(() =>
        {
            Assert.That(all.MinDistance, Is.EqualTo(0));
            Assert.That(all.Min, Is.EqualTo(1.0 / 3).Within(1e-9));
            Assert.That((fromD1.MinDistance, fromD1.Min), Is.EqualTo((1, 1.0)));
            Assert.That(fromD1.Overall, Is.EqualTo(all.Overall), "overall counts every pair either way");
        });
    }

    [Test]
    public void Validate_NoPairAtOrBeyondMinFromDistance_FallsBackToEveryDistance()
    {
        var (closure, pairs, embeddings) = SelfPairsLost();
        var result = new HierarchyValidator(closure, pairs, new ValidationOptions { MinFromDistance = 5 }, seed: 0, threads: 1).Validate(embeddings, CancellationToken.None);
        Assert.That(result.MinDistance, Is.EqualTo(0));
    }

    [Test]
    public void Options_NegativeMinFromDistance_IsRefused() =>
        Assert.That(() => new ValidationOptions { MinFromDistance = -1 }.Validate(), Throws.ArgumentException.With.Message.Contains("MinFromDistance must be 0 or more"));
}
