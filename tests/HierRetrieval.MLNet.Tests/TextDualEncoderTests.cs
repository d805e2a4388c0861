using HierRetrieval.Data.Datasets;
using HierRetrieval.Data.Hierarchies;
using HierRetrieval.Data.Pairs;
using HierRetrieval.Tests.Shared;
using HierRetrieval.Training;
using HierRetrieval.Training.Recipes;
using HierRetrieval.Training.Towers;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace HierRetrieval.MLNet.Tests;

public class TextDualEncoderTests
{
    private sealed class QueryRow
    {
        public string Query { get; set; } = "";
    }

    private static string QueryText(NodeText text) => $"{string.Join(' ', text.Lemmas).Replace('_', ' ')} ; {text.Gloss}";

    private static string DocumentText(NodeText text) => string.Join(' ', text.Lemmas).Replace('_', ' ');

    [Test]
    public void Fit_OnSynsetTexts_Retrieves_SavesAndReloads_AndEmbedsUnseenText()
    {
        var mammals = HierarchyCatalog.Load(HierarchyCatalog.WordNetMammalsName);
        var rows = PairSet.All(mammals.Closure, includeSelf: false).Pairs.ToArray()
            .Select(p => new PairRow { Query = QueryText(mammals.TextOf(p.Query)!), Document = DocumentText(mammals.TextOf(p.Document)!), Distance = p.Distance }).ToArray();
        var mlContext = new MLContext(seed: 1);
        var data = mlContext.Data.LoadFromEnumerable(rows);
        var options = new TextDualEncoderOptions
        {
            TopK = 10,
            Towers = new TextTowerOptions { HiddenSize = 48 },
            Trainer = new DualEncoderTrainerOptions
            {
                Dimension = 24,
                Stages = TrainingRecipes.Create(TrainingRecipe.PretrainFinetune, TrainingRecipes.Pretrain with { Steps = 300, LearningRate = 3e-3 }, TrainingRecipes.Finetune with { Steps = 50, LearningRate = 3e-6 }),
                BatchSize = 256,
                RandomNegatives = 256,
                Threads = 2,
                Seed = 2,
            },
        };
        using var model = mlContext.HierarchicalRetrieval().Trainers.TextDualEncoder(options).Fit(data);
        var metrics = mlContext.HierarchicalRetrieval().Evaluate(model.Transform(data));

        using var folder = new TempFolder();
        string zip = Path.Combine(folder.Path, "text.zip");
        model.Save(mlContext, zip);
        var unseen = mlContext.Data.LoadFromEnumerable(new[] { new QueryRow { Query = "tabby ; a small striped domestic cat that purrs" } });
        var fitted = model.Transform(unseen).GetColumn<string[]>("Documents").Single();
        var reloaded = new MLContext(seed: 3).Model.Load(zip, out _).Transform(unseen).GetColumn<string[]>("Documents").Single();
        TestContext.Out.WriteLine($"overall {metrics.Overall:P1}; unseen query retrieves {string.Join(", ", fitted)}");
        Assert.Multiple(() =>
        {
            Assert.That(metrics.Overall, Is.GreaterThan(0.5), "recall@|R(q)| over the training pairs");
            Assert.That(reloaded, Is.EqualTo(fitted), "the reloaded zip embeds raw text identically");
            Assert.That(fitted, Has.Length.EqualTo(10));
            Assert.That(fitted, Does.Contain("mammal mammalian"), "an unseen text still lands under the root of the tree");
        });
    }
}
