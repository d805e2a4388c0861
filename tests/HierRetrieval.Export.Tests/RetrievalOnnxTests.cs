using HierRetrieval.Export.Onnx;
using HierRetrieval.Retrieval;
using HierRetrieval.Retrieval.Exact;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace HierRetrieval.Export.Tests;

public class RetrievalOnnxTests
{
    private static EmbeddingMatrix RandomMatrix(int rows, int dimension, Random random) =>
        new(rows, dimension, [.. Enumerable.Range(0, rows * dimension).Select(_ => (float)((random.NextDouble() * 2) - 1))]);

    [Test]
    public void Build_TopK_MatchesTheExactIndex()
    {
        const int k = 10;
        var random = new Random(3);
        var queryTable = RandomMatrix(300, 16, random);
        var documents = RandomMatrix(1000, 16, random).NormalizeRows();
        int[] items = [.. Enumerable.Range(0, 64).Select(_ => random.Next(300))];

        using var session = new InferenceSession(RetrievalOnnx.Build(queryTable, documents, k));
        using var results = session.Run([NamedOnnxValue.CreateFromTensor("item", new DenseTensor<long>(items.Select(i => (long)i).ToArray(), [items.Length, 1]))]);
        var ids = results.Single(r => r.Name == "documents").AsTensor<long>();
        var scores = results.Single(r => r.Name == "scores").AsTensor<float>();

        var queries = new EmbeddingMatrix(300, 16, queryTable.Values.ToArray()).NormalizeRows().SelectRows(items);
        using var index = new ExactIndex(documents);
        var expected = index.Search(queries.Values, k);
        for (int q = 0; q < items.Length; q++)
        {
            Assert.That(Enumerable.Range(0, k).Select(j => (int)ids[q, j]), Is.EqualTo(expected.IdsOf(q).ToArray()), $"query {q}");
            Assert.That(Enumerable.Range(0, k).Select(j => scores[q, j]), Is.EqualTo(expected.ScoresOf(q).ToArray()).Within(1e-5), $"query {q}");
        }
    }

    [Test]
    public void Build_MismatchedDimensionsOrK_AreRejected()
    {
        var random = new Random(1);
        Assert.Multiple(() =>
        {
            Assert.Throws<ArgumentException>(() => RetrievalOnnx.Build(RandomMatrix(5, 4, random), RandomMatrix(5, 3, random), 2));
            Assert.Throws<ArgumentOutOfRangeException>(() => RetrievalOnnx.Build(RandomMatrix(5, 4, random), RandomMatrix(5, 4, random), 6));
        });
    }
}
