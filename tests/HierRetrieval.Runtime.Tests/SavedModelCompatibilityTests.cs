using HierRetrieval.Runtime.Scoring;
using HierRetrieval.Runtime.Zips;
using HierRetrieval.Tests.Shared;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace HierRetrieval.Runtime.Tests;

/// <summary>
/// Zips saved before the package restructuring (tests/fixtures/saved-models) load in the scoring runtime alone and
/// score exactly as they did then.
/// </summary>
public class SavedModelCompatibilityTests
{
    private static readonly string LookupZip = Repository.Fixture("saved-models/lookup/model.zip");

    [Test]
    public void ScoringRuntime_CarriesNoTorchSharp()
    {
        string[] torch = [.. Directory.GetFiles(AppContext.BaseDirectory, "*", SearchOption.AllDirectories)
            .Select(Path.GetFileName)
            .Where(name => name!.StartsWith("TorchSharp", StringComparison.OrdinalIgnoreCase) || name.Contains("torch", StringComparison.OrdinalIgnoreCase))!];
        Assert.That(torch, Is.Empty, "the runtime's dependency closure copies no TorchSharp assembly and no libtorch native");
    }

    [Test]
    public void LookupZip_SavedBefore_BatchScoresTheSameRows()
    {
        using var scorer = new BatchScorer(RetrievalModelZip.Read(LookupZip));
        var output = new StringWriter { NewLine = "\n" };
        QueryFileScorer.Score(scorer, QueryFile.Read(Repository.Fixture("saved-models/lookup/queries.tsv"), header: false), k: 5, output, BadRowPolicy.Fail);
        Assert.That(output.ToString(), Is.EqualTo(File.ReadAllText(Repository.Fixture("saved-models/lookup/lookup-scored.tsv"))));
    }

    [Test]
    public void LookupZip_SavedBefore_ReloadedByMLNet_RetrievesTheSameDocuments()
    {
        var expected = File.ReadLines(Repository.Fixture("saved-models/lookup/lookup-scored.tsv")).Skip(1)
            .Select(line => line.Split('\t'))
            .GroupBy(cells => cells[0])
            .ToDictionary(g => g.Key, g => g.Select(cells => cells[2]).ToArray());
        var mlContext = new MLContext(seed: 0);
        var model = mlContext.Model.Load(LookupZip, out var schema);
        string[] queries = [.. expected.Keys];
        var scored = model.Transform(OnnxChains.TextView(mlContext, queries, schema[0].Name));
        string[][] documents = [.. scored.GetColumn<VBuffer<ReadOnlyMemory<char>>>("Documents").Select(v => v.DenseValues().Select(d => d.ToString()).ToArray())];
        Assert.That(documents, Is.EqualTo(queries.Select(q => expected[q]).ToArray()));
    }

    [Test]
    public async Task TextZip_SavedBefore_ScoresTheShoppingFilesTheSame()
    {
        using var folder = new TempFolder();
        string output = Path.Combine(folder.Path, "scored.tsv");
        using var scorer = new TextBatchScorer(Repository.Fixture("saved-models/text/model.zip"));
        var options = new EsciScoringOptions
        {
            K = 5,
            Filters = new Data.Esci.EsciLoadOptions { ProductText = Shopping.EsciModel.RecordedProductFields(scorer.Model) ?? new Data.Esci.EsciLoadOptions().ProductText },
        };
        var summary = await EsciFileScorer.ScoreAsync(
            scorer,
            Repository.Fixture("saved-models/esci/shopping_queries_dataset_examples.csv"),
            Repository.Fixture("saved-models/esci/shopping_queries_dataset_products.csv"),
            output,
            options);
        Assert.Multiple(() =>
        {
            Assert.That(summary.Products, Is.EqualTo(48));
            Assert.That(File.ReadAllText(output), Is.EqualTo(File.ReadAllText(Repository.Fixture("saved-models/text/text-scored.tsv"))));
        });
    }
}
