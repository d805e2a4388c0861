using HierRetrieval.Backbones;
using HierRetrieval.Data.Datasets;
using HierRetrieval.Data.Pairs;
using HierRetrieval.Export.Models;
using HierRetrieval.Retrieval.Exact;
using HierRetrieval.Runtime.Scoring;
using HierRetrieval.Runtime.Zips.Tokenization;
using HierRetrieval.Tests.Shared;
using HierRetrieval.Training;
using HierRetrieval.Training.Recipes;
using HierRetrieval.Training.Towers;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace HierRetrieval.MLNet.Tests;

/// <summary>The text dual encoder over MiniLM, fitted once on the mammal subtree's synset texts.</summary>
public class BackboneTextDualEncoderTests
{
    private static readonly string[] Unseen =
    [
        "tabby ; a small striped domestic cat that purrs",
        "killer whale ; a large black and white toothed whale that hunts seals",
        "pocket gopher ; a burrowing rodent with fur-lined cheek pouches",
        "fruit bat",
    ];

    private readonly MLContext _mlContext = new(seed: 1);
    private TempFolder _folder = null!;
    private TextDualEncoderTransformer _model = null!;
    private IDataView _pairs = null!;
    private IDataView _evaluation = null!;
    private string _zip = "";

    private sealed class QueryRow
    {
        public string Query { get; set; } = "";
    }

    [OneTimeSetUp]
    public void FitOnce()
    {
        var mammals = HierarchyCatalog.Load(HierarchyCatalog.WordNetMammalsName);
        string Query(int node) => $"{string.Join(' ', mammals.TextOf(node)!.Lemmas).Replace('_', ' ')} ; {mammals.TextOf(node)!.Gloss}";
        string Document(int node) => string.Join(' ', mammals.TextOf(node)!.Lemmas).Replace('_', ' ');
        var rows = PairSet.All(mammals.Closure, includeSelf: false).Pairs.ToArray()
            .Select(p => new PairRow { Query = Query(p.Query), Document = Document(p.Document), Distance = p.Distance }).ToArray();
        _pairs = _mlContext.Data.LoadFromEnumerable(rows);

        // The per-row path pads every query to 256 tokens (about 0.1 s each here), so evaluation takes 40 queries.
        var evaluated = rows.Select(r => r.Query).Distinct().Take(40).ToHashSet();
        _evaluation = _mlContext.Data.LoadFromEnumerable(rows.Where(r => evaluated.Contains(r.Query)));
        var options = new TextDualEncoderOptions
        {
            TopK = 10,
            Backbone = PackagedSentenceEncoders.Get(PackagedSentenceEncoders.MiniLM),
            Heads = new BackboneTowerOptions { HiddenSize = 64 },
            Trainer = new DualEncoderTrainerOptions
            {
                Dimension = 24,
                Stages = TrainingRecipes.Create(TrainingRecipe.PretrainFinetune, TrainingRecipes.Pretrain with { Steps = 200, LearningRate = 3e-3 }, TrainingRecipes.Finetune with { Steps = 30, LearningRate = 3e-6 }),
                BatchSize = 256,
                RandomNegatives = 256,
                Threads = 2,
                Seed = 2,
            },
        };
        _model = _mlContext.HierarchicalRetrieval().Trainers.TextDualEncoder(options).Fit(_pairs);
        _folder = new TempFolder();
        _zip = Path.Combine(_folder.Path, "backbone.zip");
        _model.Save(_mlContext, _zip);
    }

    [OneTimeTearDown]
    public void CleanUp()
    {
        _model.Dispose();
        _folder.Dispose();
    }

    [Test]
    public void Fit_RetrievesTheTrainingPairs_AndAnUnseenTextLandsUnderTheRoot()
    {
        var metrics = _mlContext.HierarchicalRetrieval().Evaluate(_model.Transform(_evaluation));
        var fitted = _model.Transform(Queries(Unseen[0])).GetColumn<string[]>("Documents").Single();
        TestContext.Out.WriteLine($"overall {metrics.Overall:P1}; unseen query retrieves {string.Join(", ", fitted)}");
        Assert.Multiple(() =>
        {
            Assert.That(_model.Model, Is.TypeOf<ExportedBackboneRetrievalModel>());
            Assert.That(metrics.Overall, Is.GreaterThan(0.5), "recall@|R(q)| over the training pairs");
            Assert.That(fitted, Does.Contain("mammal mammalian"));
        });
    }

    [Test]
    public void SavedZip_ReloadedAfterRegisteringTheRuntime_GivesTheSameTopKAndEmbeddings()
    {
        var reloadContext = new MLContext(seed: 3);
        reloadContext.ComponentCatalog.RegisterAssembly(typeof(WordPieceTokenMappings).Assembly);
        var reloaded = reloadContext.Model.Load(_zip, out var schema).Transform(Queries(Unseen));
        var fitted = _model.Transform(Queries(Unseen));
        Assert.Multiple(() =>
        {
            Assert.That(schema[0].Name, Is.EqualTo("Query"));
            Assert.That(reloaded.GetColumn<string[]>("Documents"), Is.EqualTo(fitted.GetColumn<string[]>("Documents")));
            Assert.That(reloaded.GetColumn<float[]>("Scores").SelectMany(s => s), Is.EqualTo(fitted.GetColumn<float[]>("Scores").SelectMany(s => s)));
        });
    }

    [Test]
    public void SavedZip_ReloadedInAFreshProcessWithNoOtherFiles_GivesIdenticalTopK()
    {
        string queries = _folder.Write("queries.tsv", string.Join('\n', Unseen) + "\n");
        string output = Path.Combine(_folder.Path, "scored.tsv");
        var (exit, _, errors) = Example.Run("BatchScoring", _zip, queries, output);
        Assert.That(exit, Is.Zero, errors);

        var fitted = _model.Transform(Queries(Unseen));
        var expected = Unseen.Zip(fitted.GetColumn<string[]>("Documents"), fitted.GetColumn<float[]>("Scores"))
            .SelectMany(r => r.Second.Select((d, i) => $"{r.First}\t{i + 1}\t{d}\t{r.Third[i].ToString("R", System.Globalization.CultureInfo.InvariantCulture)}"));
        Assert.That(File.ReadLines(output).Skip(1), Is.EqualTo(expected));
    }

    [Test]
    public void BulkScorer_OnTheSameZip_EmbedsAsThePerRowPath_AndReembedsTheDocuments()
    {
        using var scorer = TextModelScorers.Open(_zip, threads: 2);
        var bulk = scorer.EmbedQueries(Unseen);
        var perRow = _model.Transform(Queries(Unseen)).GetColumn<float[]>("QueryEmbedding").ToArray();
        var documents = scorer.EmbedDocuments([.. scorer.Model.DocumentNames]);
        using var index = ExactIndexFactory.WithThreads(1).CreateIndex(scorer.Model.Documents.Dimension);
        index.Add(scorer.Model.Documents.Values);
        var top = index.Search(bulk.Values, 10);
        var fitted = _model.Transform(Queries(Unseen)).GetColumn<string[]>("Documents").ToArray();
        Assert.Multiple(() =>
        {
            Assert.That(scorer, Is.TypeOf<BackboneBatchScorer>());
            for (int q = 0; q < Unseen.Length; q++)
            {
                Assert.That(bulk.Row(q).ToArray(), Is.EqualTo(perRow[q]).Within(1e-4), "length-batched encoding equals the zip's padded per-row path");
                Assert.That(top.IdsOf(q).ToArray().Select(row => scorer.Model.DocumentNames[row]), Is.EqualTo(fitted[q]), Unseen[q]);
            }

            Assert.That(documents.Values.ToArray(), Is.EqualTo(scorer.Model.Documents.Values.ToArray()).Within(1e-4), "the carried document head re-embeds the documents as trained");
        });
    }

    private IDataView Queries(params string[] texts) => _mlContext.Data.LoadFromEnumerable(texts.Select(t => new QueryRow { Query = t }));
}
