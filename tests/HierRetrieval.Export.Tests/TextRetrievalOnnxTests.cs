using HierRetrieval.Export.Models;
using HierRetrieval.Export.Onnx;
using HierRetrieval.Retrieval;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace HierRetrieval.Export.Tests;

public class TextRetrievalOnnxTests
{
    private const int Features = 7, Hidden = 5, Dimension = 3, Documents = 6, K = 4;

    private static float[] Random(int count, Random random) => [.. Enumerable.Range(0, count).Select(_ => (float)((random.NextDouble() * 2) - 1))];

    private static TextTowerWeights Tower(Random random) =>
        new(Random(Features * Hidden, random), Random(Hidden * Hidden, random), Random(Hidden, random), Random(Hidden * Dimension, random), Random(Dimension, random), Features, Hidden, Dimension);

    /// <summary>The tower by plain loops in double: mean of the feature rows weighted by counts, ReLU layer, output layer, unit norm.</summary>
    private static double[] Embed(TextTowerWeights w, float[] counts)
    {
        double total = Math.Max(counts.Sum(), 1);
        double[] mean = [.. Enumerable.Range(0, Hidden).Select(j => Enumerable.Range(0, Features).Sum(f => counts[f] * w.Features[(f * Hidden) + j]) / total)];
        double[] hidden = [.. Enumerable.Range(0, Hidden).Select(j => Math.Max(0, w.HiddenBias[j] + Enumerable.Range(0, Hidden).Sum(i => mean[i] * w.HiddenWeight[(i * Hidden) + j])))];
        double[] output = [.. Enumerable.Range(0, Dimension).Select(j => w.OutputBias[j] + Enumerable.Range(0, Hidden).Sum(i => hidden[i] * w.OutputWeight[(i * Dimension) + j]))];
        double norm = Math.Sqrt(output.Sum(x => x * x));
        return [.. output.Select(x => x / norm)];
    }

    [Test]
    public void TextRetrievalGraph_EqualsTheTowerAndSearchComputedByHand()
    {
        var random = new Random(5);
        var queryTower = Tower(random);
        var documents = new EmbeddingMatrix(Documents, Dimension, Random(Documents * Dimension, random));
        var model = ExportedTextRetrievalModel.FromWeights(queryTower, Tower(random), [.. Enumerable.Range(0, Documents).Select(i => $"d{i}")], documents, K);
        float[][] queries = [[1, 0, 0, 2, 0, 0, 1], [0, 0, 0, 0, 0, 0, 0], [3, 1, 4, 1, 5, 9, 2], [0, 0, 0, 0, 0, 0, 1]];

        using var session = new InferenceSession(model.OnnxModel);
        using var results = session.Run([NamedOnnxValue.CreateFromTensor(TextTowerOnnx.FeaturesName, new DenseTensor<float>(queries.SelectMany(q => q).ToArray(), [queries.Length, Features]))]);
        var embeddings = results.Single(r => r.Name == OnnxModelMetadata.EmbeddingName).AsTensor<float>();
        var scores = results.Single(r => r.Name == OnnxModelMetadata.ScoresName).AsTensor<float>();
        var rows = results.Single(r => r.Name == OnnxModelMetadata.DocumentsName).AsTensor<long>();

        double[][] unit = [.. Enumerable.Range(0, Documents).Select(d =>
        {
            float[] row = documents.Row(d).ToArray();
            double norm = Math.Sqrt(row.Sum(x => (double)x * x));
            return row.Select(x => x / norm).ToArray();
        })];
        for (int q = 0; q < queries.Length; q++)
        {
            double[] query = Embed(queryTower, queries[q]);
            var expected = Enumerable.Range(0, Documents).Select(d => (Row: d, Score: query.Zip(unit[d], (a, b) => a * b).Sum()))
                .OrderByDescending(x => x.Score).ThenBy(x => x.Row).Take(K).ToArray();
            Assert.Multiple(() =>
            {
                Assert.That(Enumerable.Range(0, Dimension).Select(j => (double)embeddings[q, j]), Is.EqualTo(query).Within(1e-5), $"embedding of query {q}");
                Assert.That(Enumerable.Range(0, K).Select(j => (int)rows[q, j]), Is.EqualTo(expected.Select(x => x.Row)), $"documents of query {q}");
                Assert.That(Enumerable.Range(0, K).Select(j => (double)scores[q, j]), Is.EqualTo(expected.Select(x => x.Score)).Within(1e-5), $"scores of query {q}");
            });
        }
    }
}
