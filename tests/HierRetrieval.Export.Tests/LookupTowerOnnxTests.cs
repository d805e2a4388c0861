using HierRetrieval.Export.Onnx;
using HierRetrieval.Retrieval;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace HierRetrieval.Export.Tests;

public class LookupTowerOnnxTests
{
    [Test]
    public void Build_RunByOnnxRuntime_GivesTheNormalisedRowsOfTheTable()
    {
        const int rows = 500, dimension = 24;
        var random = new Random(11);
        float[] values = [.. Enumerable.Range(0, rows * dimension).Select(_ => (float)((random.NextDouble() * 2) - 1))];
        var table = new EmbeddingMatrix(rows, dimension, values);
        var expected = new EmbeddingMatrix(rows, dimension, (float[])values.Clone()).NormalizeRows();
        long[] items = [.. Enumerable.Range(0, 300).Select(_ => (long)random.Next(rows))];

        using var session = new InferenceSession(LookupTowerOnnx.Build(table));
        using var results = session.Run([NamedOnnxValue.CreateFromTensor("item", new DenseTensor<long>(items, [items.Length, 1]))]);
        var embeddings = results.Single(r => r.Name == "embedding").AsTensor<float>();

        Assert.That(embeddings.Dimensions.ToArray(), Is.EqualTo(new[] { items.Length, dimension }));
        double worst = 0;
        for (int i = 0; i < items.Length; i++)
        {
            var row = expected.Row((int)items[i]);
            for (int j = 0; j < dimension; j++)
            {
                worst = Math.Max(worst, Math.Abs(embeddings[i, j] - row[j]));
            }
        }

        Assert.That(worst, Is.LessThan(1e-6));
    }

    [Test]
    public void Build_UnknownIds_GetAZeroEmbedding_KnownIdsAreUnchanged()
    {
        var table = new EmbeddingMatrix(3, 2, [3, 4, 0, 2, 1, 0]);
        long[] items = [0, -1, 3, 2, -4, 1];
        using var session = new InferenceSession(LookupTowerOnnx.Build(table));
        using var results = session.Run([NamedOnnxValue.CreateFromTensor("item", new DenseTensor<long>(items, [items.Length, 1]))]);
        float[] embeddings = [.. results.Single().AsEnumerable<float>()];
        Assert.That(embeddings, Is.EqualTo(new float[] { 0.6f, 0.8f, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1 }).Within(1e-6));
    }
}
