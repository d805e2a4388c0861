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
}
