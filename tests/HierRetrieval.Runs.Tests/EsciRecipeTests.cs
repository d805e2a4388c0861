using System.Globalization;
using HierRetrieval.Data.Esci;
using HierRetrieval.Evaluation.Shopping;
using HierRetrieval.Runs.Shopping;
using HierRetrieval.Runtime.Scoring;
using HierRetrieval.Runtime.Shopping;
using HierRetrieval.Retrieval.Exact;
using HierRetrieval.Tests.Shared;
using HierRetrieval.Training;
using HierRetrieval.Training.Recipes;
using HierRetrieval.Training.Towers;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace HierRetrieval.Runs.Tests;

public class EsciRecipeTests
{
    internal static readonly IReadOnlyList<ProductField> Fields = new EsciLoadOptions().ProductText;

    internal static (EsciDataset Train, EsciDataset Test) Data()
    {
        var (examples, products) = EsciGenerator.Generate(new EsciGeneratorOptions { Families = 6, TypesPerFamily = 3, ProductsPerType = 10, QueriesPerType = 6, JudgementsPerLabel = 4, Seed = 11 });
        var report = new EsciReadReport();
        var exampleTable = new EsciTable<EsciExample>(examples, report);
        var productTable = new EsciTable<EsciProduct>(products, new EsciReadReport());
        return (EsciDataset.Join(exampleTable, productTable, new EsciLoadOptions { Split = "train" }), EsciDataset.Join(exampleTable, productTable, new EsciLoadOptions { Split = "test" }));
    }

    internal static EsciTrainingOptions Options(EsciRecipe recipe) => new()
    {
        Recipe = recipe,
        Trainer = new DualEncoderTrainerOptions { Dimension = 32, BatchSize = 64, RandomNegatives = 64, Threads = 2, Seed = 3 },
        FirstStage = TrainingRecipes.Pretrain with { Steps = 300, LearningRate = 3e-3, Temperature = 20, ValidationInterval = 100 },
        SubstituteStage = TrainingRecipes.Finetune with
        {
            Steps = 300, LearningRate = 3e-4, Temperature = 100, ValidationInterval = 50,
            EarlyStopping = new EarlyStoppingCriterion { Metric = EarlyStoppingMetric.Min },
        },
        Towers = new TextTowerOptions { HiddenSize = 64 },
    };

    private static readonly Lazy<EsciMetrics> ExactOnly = new(() => Metrics(EsciRecipe.ExactOnly));

    private static readonly Lazy<EsciMetrics> ExactThenSubstitute = new(() => Metrics(EsciRecipe.ExactThenSubstitute));

    private static EsciMetrics Metrics(EsciRecipe recipe, double exactReplay = 0)
    {
        var (train, test) = Data();
        return EsciTrainer.Train(new MLContext(seed: 1), train, Fields, Options(recipe) with { ExactReplay = exactReplay }).Evaluate(test, k: 10, ExactIndexFactory.WithThreads(2));
    }

    /// <summary>
    /// The generator makes each type's substitute a type of another family, so Exact pairs cannot teach it: only the
    /// Substitute stage can. Exact-only training finds no substitute; Exact then Substitute finds many.
    /// </summary>
    [Test]
    public void ExactThenSubstitute_RaisesSubstituteRecall_OverExactOnly()
    {
        var exactThenSubstitute = ExactThenSubstitute.Value;
        TestContext.Out.WriteLine($"exact-only {ExactOnly.Value}\nexact-then-substitute {exactThenSubstitute}");
        Assert.Multiple(() =>
        {
            Assert.That(ExactOnly.Value.ExactRecall, Is.GreaterThan(0.5), "text towers learn Exact from scratch");
            Assert.That(exactThenSubstitute.SubstituteRecall, Is.GreaterThan(ExactOnly.Value.SubstituteRecall + 0.2));
        });
    }

    /// <summary>Mix trains Exact and Substitute pairs in one stage: it too finds substitutes that Exact pairs cannot teach.</summary>
    [Test]
    public void Mix_TrainsSubstitutesInTheOnlyStage_RaisingSubstituteRecallOverExactOnly()
    {
        var mix = Metrics(EsciRecipe.Mix);
        TestContext.Out.WriteLine($"exact-only {ExactOnly.Value}\nmix {mix}");
        Assert.That(mix.SubstituteRecall, Is.GreaterThan(ExactOnly.Value.SubstituteRecall + 0.2));
    }

    /// <summary>
    /// A Substitute stage of Substitute pairs only moves queries away from their own type; replaying half of each
    /// batch from all judgements holds them there, so more Exact recall survives while substitutes are still found.
    /// </summary>
    [Test]
    public void ExactReplay_InTheSubstituteStage_KeepsMoreExactRecall_AndStillFindsSubstitutes()
    {
        var replayed = Metrics(EsciRecipe.ExactThenSubstitute, exactReplay: 0.5);
        TestContext.Out.WriteLine($"exact-only {ExactOnly.Value}\nexact-then-substitute {ExactThenSubstitute.Value}\nwith replay {replayed}");
        Assert.Multiple(() =>
        {
            Assert.That(replayed.ExactRecall, Is.GreaterThan(ExactThenSubstitute.Value.ExactRecall + 0.05));
            Assert.That(replayed.SubstituteRecall, Is.GreaterThan(ExactOnly.Value.SubstituteRecall + 0.2));
        });
    }

    [TestCase(EsciRecipe.Mix, 0.5)]
    [TestCase(EsciRecipe.ExactThenSubstitute, 1.0)]
    [TestCase(EsciRecipe.ExactThenSubstitute, -0.1)]
    public void ExactReplay_OutsideItsRangeOrWithoutASubstituteStage_IsRefused(EsciRecipe recipe, double exactReplay)
    {
        var (train, _) = Data();
        var e = Assert.Throws<ArgumentException>(() => EsciTrainer.Train(new MLContext(seed: 1), train, Fields, Options(recipe) with { ExactReplay = exactReplay }));
        Assert.That(e!.ParamName, Is.EqualTo(nameof(EsciTrainingOptions.ExactReplay)));
    }

    private sealed class QueryRow
    {
        public string Query { get; set; } = "";
    }

    [Test]
    public void SavedTextModel_ReloadedByMLNet_AndTheBatchScorer_RetrieveTheSameProducts()
    {
        var mlContext = new MLContext(seed: 1);
        var (train, test) = Data();
        var options = Options(EsciRecipe.ExactOnly);
        var model = EsciTrainer.Train(mlContext, train, Fields, options with { FirstStage = options.FirstStage with { Steps = 100 } });
        using var folder = new TempFolder();
        string zip = Path.Combine(folder.Path, "shopping.zip");
        model.Save(mlContext, zip, k: 5);

        string[] queries = [.. test.Judgements.Select(j => j.Query).Distinct()];
        var reloaded = new MLContext(seed: 2).Model.Load(zip, out _);
        var perRow = reloaded.Transform(mlContext.Data.LoadFromEnumerable(queries.Select(q => new QueryRow { Query = q }))).GetColumn<string[]>("Documents").ToArray();

        using var scorer = new TextBatchScorer(zip);
        using var index = new ExactIndex(scorer.Model.Documents);
        var batched = index.Search(scorer.EmbedQueries(queries).Values, 5);
        var products = scorer.EmbedDocuments([.. scorer.Model.DocumentNames.Select(id => train.ProductTexts[id])]);
        Assert.Multiple(() =>
        {
            for (int q = 0; q < queries.Length; q++)
            {
                Assert.That(batched.IdsOf(q).ToArray().Select(row => scorer.Model.DocumentNames[row]), Is.EqualTo(perRow[q]), queries[q]);
            }

            Assert.That(products.Values.ToArray(), Is.EqualTo(scorer.Model.Documents.Values.ToArray()).Within(1e-5), "the carried document tower re-embeds the products as trained");
            Assert.That(EsciModel.RecordedProductFields(scorer.Model), Is.EqualTo(Fields), "the zip records the product fields");
        });
    }

    [Test]
    public async Task FileScorer_InSmallChunks_WritesTheRankingOfOneChunk_AndReportsEachStage()
    {
        var generated = EsciGenerator.Generate(new EsciGeneratorOptions { Families = 3, TypesPerFamily = 2, ProductsPerType = 5, QueriesPerType = 3, JudgementsPerLabel = 2, Seed = 5 });
        using var folder = new TempFolder();
        string examples = Path.Combine(folder.Path, "examples.csv"), products = Path.Combine(folder.Path, "products.parquet");
        await EsciWriter.WriteExamplesAsync(examples, generated.Examples);
        await EsciWriter.WriteProductsAsync(products, generated.Products);
        var mlContext = new MLContext(seed: 1);
        var (train, _) = Data();
        var options = Options(EsciRecipe.ExactOnly);
        string zip = Path.Combine(folder.Path, "shopping.zip");
        EsciTrainer.Train(mlContext, train, Fields, options with { FirstStage = options.FirstStage with { Steps = 50 } }).Save(mlContext, zip, k: 5);

        using var scorer = new TextBatchScorer(zip);
        var reports = new List<EsciScoringProgress>();
        var chunked = await EsciFileScorer.ScoreAsync(scorer, examples, products, Path.Combine(folder.Path, "chunked.tsv"), new EsciScoringOptions { K = 4, ChunkSize = 7 }, new Recorder(reports));
        await EsciFileScorer.ScoreAsync(scorer, examples, products, Path.Combine(folder.Path, "whole.tsv"), new EsciScoringOptions { K = 4 });

        string[][] Rows(string name) => [.. File.ReadLines(Path.Combine(folder.Path, name)).Skip(1).Select(line => line.Split('\t'))];
        var (small, whole) = (Rows("chunked.tsv"), Rows("whole.tsv"));
        Assert.Multiple(() =>
        {
            Assert.That(chunked.Products, Is.EqualTo(3 * 2 * 5));
            Assert.That(small, Has.Length.EqualTo(chunked.Queries * 4));
            Assert.That(small.Select(r => r[..3]), Is.EqualTo(whole.Select(r => r[..3])), "query, rank and product as with one chunk");
            Assert.That(small.Select(r => float.Parse(r[3], CultureInfo.InvariantCulture)), Is.EqualTo(whole.Select(r => float.Parse(r[3], CultureInfo.InvariantCulture))).Within(1e-5));
            Assert.That(reports.Where(r => r.Stage == "products").Select(r => r.Done), Is.EqualTo(new long[] { 0, 7, 14, 21, 28, 30 }));
            Assert.That(reports.Last(), Is.EqualTo(new EsciScoringProgress("queries", chunked.Queries, chunked.Queries)));
        });
    }

    /// <summary>Keeps every report, synchronously (Progress&lt;T&gt; would post them to the thread pool).</summary>
    private sealed class Recorder(List<EsciScoringProgress> reports) : IProgress<EsciScoringProgress>
    {
        public void Report(EsciScoringProgress value) => reports.Add(value);
    }
}
