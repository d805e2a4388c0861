using HierRetrieval.Data.Features;
using HierRetrieval.Export.Onnx;
using HierRetrieval.Retrieval;
using HierRetrieval.Training.Towers;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using static TorchSharp.torch;

namespace HierRetrieval.Training.Tests;

public class OnnxParityTests
{
    [Test]
    public void LookupTower_OnnxExport_MatchesTheTorchSharpTower()
    {
        using var tower = new LookupTableTower(itemCount: 2000, dimension: 32, seed: 5, initialScale: 0.05, device: CPU);
        using var table = tower.Parameters[0].Tensor.contiguous();
        var raw = new EmbeddingMatrix(2000, 32, table.data<float>().ToArray());
        var torchEmbeddings = tower.EmbedAll();
        long[] items = [.. Enumerable.Range(0, 2000).Select(i => (long)((i * 7919) % 2000))];

        using var session = new InferenceSession(LookupTowerOnnx.Build(raw));
        using var results = session.Run([NamedOnnxValue.CreateFromTensor("item", new DenseTensor<long>(items, [items.Length, 1]))]);
        var onnx = results.Single().AsTensor<float>();

        double worst = 0;
        for (int i = 0; i < items.Length; i++)
        {
            var row = torchEmbeddings.Row((int)items[i]);
            for (int j = 0; j < 32; j++)
            {
                worst = Math.Max(worst, Math.Abs(onnx[i, j] - row[j]));
            }
        }

        Assert.That(worst, Is.LessThan(1e-5), "ONNX Runtime and TorchSharp agree on every item");
    }

    [Test]
    public void TextTower_OnnxExport_MatchesTheTorchSharpTower()
    {
        // Random bags with counts over 300 features, some empty, and non-trivial weights (random initialisation).
        var random = new Random(8);
        const int items = 500, featureCount = 300;
        var offsets = new List<int> { 0 };
        var features = new List<int>();
        var weights = new List<float>();
        for (int i = 0; i < items; i++)
        {
            int size = i % 50 == 0 ? 0 : random.Next(1, 12);
            foreach (int f in Enumerable.Range(0, size).Select(_ => random.Next(featureCount)).Distinct())
            {
                features.Add(f);
                weights.Add(random.Next(1, 4));
            }

            offsets.Add(features.Count);
        }

        var bags = new FeatureBags(featureCount, [.. offsets], [.. features], [.. weights]);
        using var tower = new TextTower(bags, dimension: 16, new TextTowerOptions { HiddenSize = 24, InitialScale = 0.5 }, seed: 3, CPU);
        var onnxWeights = tower.ExportWeights();
        float[] counts = new float[items * featureCount];
        for (int i = 0; i < items; i++)
        {
            for (int j = bags.Offsets[i]; j < bags.Offsets[i + 1]; j++)
            {
                counts[(i * featureCount) + bags.Features[j]] = bags.Weights[j];
            }
        }

        using var session = new InferenceSession(TextTowerOnnx.Build(onnxWeights));
        using var results = session.Run([NamedOnnxValue.CreateFromTensor(TextTowerOnnx.FeaturesName, new DenseTensor<float>(counts, [items, featureCount]))]);
        float[] onnx = [.. results.Single().AsEnumerable<float>()];
        float[] torch = tower.EmbedAll().Values.ToArray();
        double worst = onnx.Zip(torch, (a, b) => Math.Abs(a - b)).Max();
        Assert.That(worst, Is.LessThan(1e-5), "ONNX Runtime and TorchSharp agree on every item, empty bags included");
    }
}
