using HierRetrieval.Data.Esci;
using HierRetrieval.Runtime.Text;
using HierRetrieval.Runtime.Zips;
using HierRetrieval.Tests.Shared;
using HierRetrieval.Training.Towers;
using Microsoft.ML;
using Microsoft.ML.Data;
using static TorchSharp.torch;

namespace HierRetrieval.Runs.Tests;

public class TextTowerChainTests
{
    private sealed class TextRow
    {
        public string Text { get; set; } = "";
    }

    [Test]
    public void TrainingSideFeatures_OnnxChain_AndReloadedZip_EmbedTheSameText()
    {
        var mlContext = new MLContext(seed: 1);
        var (examples, products) = EsciGenerator.Generate(new EsciGeneratorOptions { Families = 3, TypesPerFamily = 3, ProductsPerType = 6, QueriesPerType = 2, Seed = 2 });
        string[] texts = [.. products.Select(p => $"{p.Title} {p.Brand}"), .. examples.Select(e => e.Query).Distinct(), "Ünïcödé, PUNCTUATION!! and 42 numbers", ""];
        var featurizer = TextFeaturizer.Fit(mlContext, texts.Take(40), new TextFeaturizerOptions { WordNgramLength = 2 });
        var bags = featurizer.Featurize(texts);
        using var tower = new TextTower(bags, dimension: 12, new TextTowerOptions { HiddenSize = 20, InitialScale = 0.5 }, seed: 4, CPU);
        var trainingSide = tower.EmbedAll();

        var chain = TextTowerChain.Create(mlContext, featurizer, tower.ExportWeights(), "Embedding");
        var view = mlContext.Data.LoadFromEnumerable(texts.Select(t => new TextRow { Text = t }));
        float[][] Embed(ITransformer model) => [.. model.Transform(view).GetColumn<float[]>("Embedding")];
        var onnxSide = Embed(chain);

        using var folder = new TempFolder();
        string zip = Path.Combine(folder.Path, "text-tower.zip");
        mlContext.Model.Save(chain, view.Schema, zip);
        var reloaded = Embed(new MLContext(seed: 2).Model.Load(zip, out _));

        double worst = 0;
        for (int i = 0; i < texts.Length; i++)
        {
            worst = Math.Max(worst, onnxSide[i].Zip(trainingSide.Row(i).ToArray(), (a, b) => Math.Abs(a - b)).Max());
        }

        Assert.Multiple(() =>
        {
            Assert.That(bags.Offsets[41] - bags.Offsets[40], Is.GreaterThan(0), "texts outside the fitted ones still share known n-grams");
            Assert.That(worst, Is.LessThan(1e-5), "the training side and the ONNX chain give the same embeddings: same ids, same function");
            Assert.That(reloaded, Is.EqualTo(onnxSide), "the reloaded zip embeds raw text identically");
        });
    }
}
