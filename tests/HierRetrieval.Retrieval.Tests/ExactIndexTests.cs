using HierRetrieval.Retrieval.Exact;

namespace HierRetrieval.Retrieval.Tests;

public class ExactIndexTests
{
    private static EmbeddingMatrix RandomUnitRows(int rows, int dimension, int seed)
    {
        var random = new Random(seed);
        var matrix = new EmbeddingMatrix(rows, dimension);
        for (int i = 0; i < matrix.Values.Length; i++)
        {
            matrix.Values[i] = (float)((random.NextDouble() * 2) - 1);
        }

        return matrix.NormalizeRows();
    }

    /// <summary>Reference: every score with a scalar loop, sorted by (score desc, id asc).</summary>
    private static (int Id, float Score)[] BruteForce(EmbeddingMatrix docs, ReadOnlySpan<float> query, int k)
    {
        var all = new (int Id, float Score)[docs.Rows];
        for (int d = 0; d < docs.Rows; d++)
        {
            double s = 0;
            for (int j = 0; j < docs.Dimension; j++)
            {
                s += docs.Row(d)[j] * query[j];
            }

            all[d] = (d, (float)s);
        }

        return [.. all.OrderByDescending(e => e.Score).ThenBy(e => e.Id).Take(k)];
    }

    [TestCase(1, 1, 1, 1)]
    [TestCase(7, 3, 5, 2)]
    [TestCase(1000, 64, 37, 10)]
    [TestCase(997, 17, 130, 25)]
    [TestCase(50, 8, 3, 80)]
    public void Search_RandomVectors_MatchesBruteForce(int documents, int dimension, int queries, int k)
    {
        var docs = RandomUnitRows(documents, dimension, seed: 1);
        var q = RandomUnitRows(queries, dimension, seed: 2);
        using var index = new ExactIndex(docs);

        var result = index.Search(q.Values, k);

        int exactIds = 0;
        for (int i = 0; i < queries; i++)
        {
            // Every document ranked, so that the last rank of the top k is compared with the document after it too.
            var expected = BruteForce(docs, q.Row(i), documents);
            var reference = expected.ToDictionary(e => e.Id, e => e.Score);
            var ids = result.IdsOf(i);
            var scores = result.ScoresOf(i);
            Assert.That(ids.ToArray().Where(id => id >= 0), Is.Unique, $"query {i}");
            for (int r = 0; r < k; r++)
            {
                if (r >= documents)
                {
                    Assert.That(ids[r], Is.EqualTo(-1), $"query {i} rank {r}");
                    Assert.That(scores[r], Is.EqualTo(float.NegativeInfinity), $"query {i} rank {r}");
                    continue;
                }

                Assert.That(scores[r], Is.EqualTo(expected[r].Score).Within(1e-5), $"query {i} rank {r}");
                Assert.That(reference, Does.ContainKey(ids[r]), $"query {i} rank {r}");
                Assert.That(reference[ids[r]], Is.EqualTo(scores[r]).Within(1e-5), $"query {i} rank {r}: the returned score is the returned id's score");
                bool separated = (r == 0 || expected[r - 1].Score - expected[r].Score > 1e-5) && (r + 1 == expected.Length || expected[r].Score - expected[r + 1].Score > 1e-5);
                if (separated)
                {
                    // No other document scores within rounding of this one, so the id is decided (the last rank included).
                    Assert.That(ids[r], Is.EqualTo(expected[r].Id), $"query {i} rank {r}");
                    exactIds++;
                }
            }
        }

        Assert.That(exactIds, Is.GreaterThanOrEqualTo(Math.Min(k, documents) * queries * 9 / 10), "near-ties are rare among random vectors: most ranks are compared by id");
    }

    [Test]
    public void Search_TiedScores_LowerIdFirstForAnyThreadCount()
    {
        // 300 identical documents: every score ties, so the top k must be ids 0..k-1 in order.
        var docs = new EmbeddingMatrix(300, 4, [.. Enumerable.Repeat(new[] { 0.5f, 0.5f, 0.5f, 0.5f }, 300).SelectMany(v => v)]);
        float[] query = [1, 0, 0, 0];
        foreach (int threads in new[] { 1, 2, 3 })
        {
            using var index = new ExactIndex(docs, new ExactIndexOptions { Threads = threads });
            var result = index.Search(query, 7);
            Assert.That(result.IdsOf(0).ToArray(), Is.EqualTo(new[] { 0, 1, 2, 3, 4, 5, 6 }), $"threads {threads}");
        }
    }

    [Test]
    public void Search_ManyQueriesAnyThreadsOrBlocks_SameResult()
    {
        var docs = RandomUnitRows(2000, 32, seed: 3);
        var q = RandomUnitRows(333, 32, seed: 4);
        using var reference = new ExactIndex(docs, new ExactIndexOptions { Threads = 1 });
        var expected = reference.Search(q.Values, 15);
        foreach (var options in new[] { new ExactIndexOptions { Threads = 2 }, new ExactIndexOptions { Threads = 3, QueryBlockSize = 8 } })
        {
            using var index = new ExactIndex(docs, options);
            var actual = index.Search(q.Values, 15);
            for (int i = 0; i < q.Rows; i++)
            {
                Assert.That(actual.IdsOf(i).ToArray(), Is.EqualTo(expected.IdsOf(i).ToArray()));
                Assert.That(actual.ScoresOf(i).ToArray(), Is.EqualTo(expected.ScoresOf(i).ToArray()));
            }
        }
    }

    [Test]
    public void ComputeScores_AgreesWithSearchScores()
    {
        var docs = RandomUnitRows(500, 24, seed: 5);
        var q = RandomUnitRows(9, 24, seed: 6);
        using var index = new ExactIndex(docs);
        float[] scores = new float[q.Rows * docs.Rows];

        index.ComputeScores(q.Values, scores);
        var top = index.Search(q.Values, 5);

        for (int i = 0; i < q.Rows; i++)
        {
            for (int r = 0; r < 5; r++)
            {
                Assert.That(scores[(i * docs.Rows) + top.IdsOf(i)[r]], Is.EqualTo(top.ScoresOf(i)[r]));
            }

            Assert.That(top.ScoresOf(i)[0], Is.EqualTo(scores.AsSpan(i * docs.Rows, docs.Rows).ToArray().Max()));
        }
    }

    [Test]
    public void Add_AfterSearch_NewDocumentsAreFound()
    {
        using var index = new ExactIndex(2);
        index.Add([1, 0]);
        Assert.That(index.Search([0, 1], 1).IdsOf(0)[0], Is.EqualTo(0));
        index.Add([0, 1]);
        Assert.That(index.Count, Is.EqualTo(2));
        Assert.That(index.Search([0, 1], 1).IdsOf(0)[0], Is.EqualTo(1));
    }

    [Test]
    public void Add_InChunksAcrossPanels_ScoresAsOneIndex()
    {
        var docs = RandomUnitRows(145, 17, seed: 3);
        var queries = RandomUnitRows(9, 17, seed: 4);
        using var whole = new ExactIndex(docs);
        using var chunked = new ExactIndex(17);
        int added = 0;
        foreach (int rows in new[] { 1, 5, 37, 100, 2 })
        {
            chunked.Add(docs.Values.Slice(added * 17, rows * 17));
            added += rows;
        }

        float[] expected = new float[9 * 145], actual = new float[9 * 145];
        whole.ComputeScores(queries.Values, expected);
        chunked.ComputeScores(queries.Values, actual);

        Assert.That(chunked.Count, Is.EqualTo(145));
        Assert.That(actual, Is.EqualTo(expected));
        Assert.That(chunked.Search(queries.Values, 5).IdsOf(8).ToArray(), Is.EqualTo(whole.Search(queries.Values, 5).IdsOf(8).ToArray()));
    }

    [Test]
    public void Add_BadInput_ThrowsWithReason()
    {
        using var index = new ExactIndex(3);
        Assert.That(() => index.Add([1, 2]), Throws.ArgumentException.With.Message.Contains("not a multiple of the dimension 3"));
        Assert.That(() => index.Add([1, 2, 3, 4, float.NaN, 6]), Throws.ArgumentException.With.Message.Contains("row 1"));
        Assert.That(() => index.Search([1, 2, 3], 0), Throws.InstanceOf<ArgumentOutOfRangeException>());
    }
}
