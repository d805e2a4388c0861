using HierRetrieval.Backbones;
using HierRetrieval.Retrieval.Exact;
using HierRetrieval.Runs.Shopping;
using HierRetrieval.Runtime.Scoring;
using HierRetrieval.Runtime.Shopping;
using HierRetrieval.Runtime.Zips.Tokenization;
using HierRetrieval.Tests.Shared;
using HierRetrieval.Training.Towers;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace HierRetrieval.Runs.Tests;

/// <summary>Shopping with heads over MiniLM on a small generated set: the recipes, the zero-shot baseline, and the saved zip.</summary>
public class EsciBackboneTests
{
    private static EsciTrainingOptions Options(EsciRecipe recipe) => EsciRecipeTests.Options(recipe) with
    {
        Backbone = PackagedSentenceEncoders.Get(PackagedSentenceEncoders.MiniLM),
        Heads = new BackboneTowerOptions { HiddenSize = 128 },
    };

    private static EsciModel Train(EsciRecipe recipe) => EsciTrainer.Train(new MLContext(seed: 1), EsciRecipeTests.Data().Train, EsciRecipeTests.Fields, Options(recipe));

    [Test]
    public void ExactThenSubstitute_OverMiniLM_RaisesSubstituteRecall_AndTrainingBeatsZeroShotOnExact()
    {
        var (train, test) = EsciRecipeTests.Data();
        var indexes = ExactIndexFactory.WithThreads(2);
        var exactOnly = Train(EsciRecipe.ExactOnly).Evaluate(test, 10, indexes);
        var exactThenSubstitute = Train(EsciRecipe.ExactThenSubstitute).Evaluate(test, 10, indexes);
        var zeroShot = EsciTrainer.ZeroShot(Options(EsciRecipe.ExactOnly).Backbone!, train, test, 10, Options(EsciRecipe.ExactOnly), indexes);
        TestContext.Out.WriteLine($"zero-shot {zeroShot}\nexact-only {exactOnly}\nexact-then-substitute {exactThenSubstitute}");
        Assert.Multiple(() =>
        {
            Assert.That(exactOnly.ExactRecall, Is.GreaterThan(zeroShot.ExactRecall), "heads trained on Exact pairs beat the frozen encoder on Exact");
            Assert.That(exactThenSubstitute.SubstituteRecall, Is.GreaterThan(exactOnly.SubstituteRecall + 0.2), "only the Substitute stage links a type to its substitute");
        });
    }

    private sealed class QueryRow
    {
        public string Query { get; set; } = "";
    }

    [Test]
    public void SavedBackboneModel_PerRowAndBulk_RetrieveTheSameProducts_AndRecordTheFields()
    {
        var (train, test) = EsciRecipeTests.Data();
        var options = Options(EsciRecipe.ExactOnly);
        var model = EsciTrainer.Train(new MLContext(seed: 1), train, EsciRecipeTests.Fields, options with { FirstStage = options.FirstStage with { Steps = 100 } });
        using var folder = new TempFolder();
        string zip = Path.Combine(folder.Path, "shopping.zip");
        model.Save(new MLContext(seed: 1), zip, k: 5);

        string[] queries = [.. test.Judgements.Select(j => j.Query).Distinct().Take(8)];
        var mlContext = new MLContext(seed: 2);
        mlContext.ComponentCatalog.RegisterAssembly(typeof(WordPieceTokenMappings).Assembly);
        var perRow = mlContext.Model.Load(zip, out _).Transform(mlContext.Data.LoadFromEnumerable(queries.Select(q => new QueryRow { Query = q }))).GetColumn<string[]>("Documents").ToArray();
        using var scorer = TextModelScorers.Open(zip, threads: 2);
        using var index = new ExactIndex(scorer.Model.Documents);
        var batched = index.Search(scorer.EmbedQueries(queries).Values, 5);
        Assert.Multiple(() =>
        {
            Assert.That(model, Is.TypeOf<EsciBackboneModel>());
            for (int q = 0; q < queries.Length; q++)
            {
                Assert.That(batched.IdsOf(q).ToArray().Select(row => scorer.Model.DocumentNames[row]), Is.EqualTo(perRow[q]), queries[q]);
            }

            Assert.That(EsciModel.RecordedProductFields(scorer.Model), Is.EqualTo(EsciRecipeTests.Fields));
        });
    }
}
