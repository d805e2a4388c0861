using System.Text.Json;
using HierRetrieval.Data.Datasets;
using HierRetrieval.Data.Hierarchies;
using HierRetrieval.Data.Pairs;
using HierRetrieval.Evaluation.Reporting;
using HierRetrieval.Retrieval;

namespace HierRetrieval.Evaluation.Tests;

/// <summary>
/// Hand-computed cases. Nodes a, b, c, d, e with a -> b -> c; d and e stand alone. Document embeddings are one-hot,
/// so a query row is directly its scores for documents a..e.
/// </summary>
public class HierarchyEvaluatorTests
{
    private static readonly float[][] QueryScores =
    [
        [0.9f, 0.5f, 0.1f, 0.7f, 0.3f], // a: ranking a d b e c
        [0.0f, 0.8f, 0.8f, 0.2f, 0.9f], // b: ranking e b c d a (b and c tie; lower id first)
        [0.1f, 0.2f, 0.3f, 0.4f, 0.5f], // c: ranking e d c b a
        [0.0f, 0.0f, 0.0f, 1.0f, 0.0f], // d: ranking d a b c e
        [0.0f, 0.0f, 0.0f, 0.0f, 0.0f], // e: all tie, ranking a b c d e
    ];

    private static (Hierarchy Hierarchy, NodeEmbeddings Embeddings) Fixture()
    {
        var builder = new HierarchyBuilder();
        builder.AddEdge("a", "b");
        builder.AddEdge("b", "c");
        builder.AddNode("d");
        builder.AddNode("e");
        var documents = new EmbeddingMatrix(5, 5);
        for (int i = 0; i < 5; i++)
        {
            documents.Row(i)[i] = 1;
        }

        var queries = new EmbeddingMatrix(5, 5, [.. QueryScores.SelectMany(r => r)]);
        return (builder.Build(), new NodeEmbeddings(queries, documents));
    }

    [Test]
    public void Evaluate_AllPairs_MatchesHandComputedMetrics()
    {
        var (h, embeddings) = Fixture();

        var m = new HierarchyEvaluator(new HierarchyEvaluatorOptions { K = 2 }).Evaluate(h.Closure, embeddings, PairSet.All(h.Closure));

        Assert.That(m.Queries, Is.EqualTo(5));
        Assert.That(m.Pairs, Is.EqualTo(8));
        Assert.That(m.RecallByDistance, Is.EqualTo(new Dictionary<int, double> { [0] = 0.6, [1] = 0.5, [2] = 0.0 }));
        Assert.That(m.Overall, Is.EqualTo(0.5));
        Assert.That(m.Min, Is.EqualTo(0.0));
        Assert.That(m.MinDistance, Is.EqualTo(2));
        Assert.That(m.MeanRank, Is.EqualTo(19.0 / 8).Within(1e-12));
        double map = (((1 + (2.0 / 3) + (3.0 / 5)) / 3) + ((0.5 + (2.0 / 3)) / 2) + (1.0 / 3) + 1 + 0.2) / 5;
        Assert.That(m.MeanAveragePrecision, Is.EqualTo(map).Within(1e-12));
        Assert.That(m.RecallAtK, Is.EqualTo(3.0 / 8));
    }

    [Test]
    public void Evaluate_ScoreRowsFromAnotherFactory_AreUsed_AndGiveTheSameMetrics()
    {
        var (h, embeddings) = Fixture();
        var naive = new NaiveScoreRows();
        var injected = new HierarchyEvaluator(new HierarchyEvaluatorOptions { K = 2, ScoreRows = naive }).Evaluate(h.Closure, embeddings, PairSet.All(h.Closure));
        var exact = new HierarchyEvaluator(new HierarchyEvaluatorOptions { K = 2 }).Evaluate(h.Closure, embeddings, PairSet.All(h.Closure));
        Assert.Multiple(() =>
        {
            Assert.That(naive.Created, Is.EqualTo(1));
            Assert.That(MetricsReport.ToJson(injected), Is.EqualTo(MetricsReport.ToJson(exact)));
        });
    }

    /// <summary>Score rows by plain loops: an independent implementation of <see cref="IScoreMatrix"/>.</summary>
    private sealed class NaiveScoreRows : IScoreMatrixFactory
    {
        public int Created { get; private set; }

        public IScoreMatrix CreateScoreMatrix(EmbeddingMatrix documents)
        {
            Created++;
            return new Rows(documents);
        }

        private sealed class Rows(EmbeddingMatrix documents) : IScoreMatrix
        {
            public int Dimension => documents.Dimension;

            public int Count => documents.Rows;

            public void ComputeScores(ReadOnlySpan<float> queries, Memory<float> scores, CancellationToken cancellationToken = default)
            {
                for (int q = 0; q < queries.Length / Dimension; q++)
                {
                    for (int d = 0; d < Count; d++)
                    {
                        float sum = 0;
                        for (int i = 0; i < Dimension; i++)
                        {
                            sum += queries[(q * Dimension) + i] * documents.Row(d)[i];
                        }

                        scores.Span[(q * Count) + d] = sum;
                    }
                }
            }

            public void Dispose()
            {
            }
        }
    }

    [Test]
    public void Evaluate_SplitPairs_FiltersTheOtherMatches()
    {
        var (h, embeddings) = Fixture();
        int a = h.IndexOf("a"), c = h.IndexOf("c");
        var onlyFar = new PairSet([new MatchedPair(a, c, 2)]);

        var m = new HierarchyEvaluator(new HierarchyEvaluatorOptions { K = 3 }).Evaluate(h.Closure, embeddings, onlyFar);

        // Full ranking a d b e c: c is 5th, outside the top |S(a)| = 3. With a and b removed it is 3rd.
        Assert.That(m.Overall, Is.EqualTo(0));
        Assert.That(m.MeanRank, Is.EqualTo(3));
        Assert.That(m.MeanAveragePrecision, Is.EqualTo(1.0 / 3).Within(1e-12));
        Assert.That(m.RecallAtK, Is.EqualTo(1));
    }

    [Test]
    public void Evaluate_BucketCap_MergesFarDistances()
    {
        var (h, embeddings) = Fixture();

        var m = new HierarchyEvaluator(new HierarchyEvaluatorOptions { DistanceBucketCap = 1 }).Evaluate(h.Closure, embeddings, PairSet.All(h.Closure));

        Assert.That(m.RecallByDistance[1], Is.EqualTo(1.0 / 3).Within(1e-12));
        Assert.That(m.PairsByDistance[1], Is.EqualTo(3));
    }

    [Test]
    public void Evaluate_AnyThreadCountOrBatch_SameMetrics()
    {
        var h = SyntheticHierarchies.RandomDag(700, 3, seed: 5);
        var random = new Random(9);
        var q = new EmbeddingMatrix(h.Count, 8);
        var d = new EmbeddingMatrix(h.Count, 8);
        for (int i = 0; i < q.Values.Length; i++)
        {
            q.Values[i] = (float)random.NextDouble() - 0.5f;
            d.Values[i] = (float)random.NextDouble() - 0.5f;
        }

        var embeddings = new NodeEmbeddings(q.NormalizeRows(), d.NormalizeRows());
        var pairs = PairSet.All(h.Closure);
        var one = new HierarchyEvaluator(new HierarchyEvaluatorOptions { Threads = 1, QueryBatchSize = 1000 }).Evaluate(h.Closure, embeddings, pairs);
        var two = new HierarchyEvaluator(new HierarchyEvaluatorOptions { Threads = 2, QueryBatchSize = 33 }).Evaluate(h.Closure, embeddings, pairs);

        Assert.That(MetricsReport.ToJson(two), Is.EqualTo(MetricsReport.ToJson(one)));
        Assert.That(one.Overall, Is.GreaterThan(0).And.LessThan(0.5));
    }

    [Test]
    public void Evaluate_BadInput_Throws()
    {
        var (h, embeddings) = Fixture();
        var evaluator = new HierarchyEvaluator();

        Assert.That(() => evaluator.Evaluate(h.Closure, embeddings, new PairSet([])), Throws.ArgumentException.With.Message.Contains("no pairs"));
        var small = new NodeEmbeddings(new EmbeddingMatrix(2, 5), new EmbeddingMatrix(2, 5));
        Assert.That(() => evaluator.Evaluate(h.Closure, small, PairSet.All(h.Closure)), Throws.ArgumentException.With.Message.Contains("5 nodes"));
        Assert.That(() => new HierarchyEvaluator(new HierarchyEvaluatorOptions { K = 0 }), Throws.InstanceOf<ArgumentOutOfRangeException>());
    }

    [Test]
    public void ToJson_HasTheDocumentedFields()
    {
        var (h, embeddings) = Fixture();
        var m = new HierarchyEvaluator().Evaluate(h.Closure, embeddings, PairSet.All(h.Closure));

        using var json = JsonDocument.Parse(MetricsReport.ToJson(m));
        var root = json.RootElement;

        Assert.That(root.GetProperty("metric").GetString(), Is.EqualTo("recall@|S(q)|"));
        Assert.That(root.GetProperty("queries").GetInt32(), Is.EqualTo(5));
        Assert.That(root.GetProperty("pairs").GetInt64(), Is.EqualTo(8));
        Assert.That(root.GetProperty("overall").GetDouble(), Is.EqualTo(0.5));
        Assert.That(root.GetProperty("min").GetDouble(), Is.EqualTo(0));
        Assert.That(root.GetProperty("minDistance").GetInt32(), Is.EqualTo(2));
        Assert.That(root.GetProperty("byDistance").GetProperty("1").GetDouble(), Is.EqualTo(0.5));
        Assert.That(root.GetProperty("map").GetDouble(), Is.EqualTo(m.MeanAveragePrecision));
        Assert.That(root.GetProperty("meanRank").GetDouble(), Is.EqualTo(m.MeanRank));
    }
}
