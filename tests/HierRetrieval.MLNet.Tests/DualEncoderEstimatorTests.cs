using HierRetrieval.Runtime.Scoring;
using HierRetrieval.Retrieval.Exact;
using HierRetrieval.Runtime.Zips;
using HierRetrieval.Tests.Shared;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace HierRetrieval.MLNet.Tests;

public class DualEncoderEstimatorTests
{
    private readonly MLContext _mlContext = new(seed: 1);
    private DualEncoderTransformer _model = null!;
    private TempFolder _folder = null!;

    private sealed class QueryRow
    {
        public string Query { get; set; } = "";
    }

    private sealed class Retrieved
    {
        public string Query { get; set; } = "";

        public string[] Documents { get; set; } = [];

        public float[] Scores { get; set; } = [];

        public float[] QueryEmbedding { get; set; } = [];
    }

    [OneTimeSetUp]
    public void FitOnce()
    {
        _folder = new TempFolder();
        _model = TreePairs.Fit(_mlContext);
    }

    [OneTimeTearDown]
    public void Release()
    {
        _model.Dispose();
        _folder.Dispose();
    }

    private IDataView Queries(params string[] names) => _mlContext.Data.LoadFromEnumerable(names.Select(n => new QueryRow { Query = n }));

    private List<Retrieved> Run(ITransformer model, IDataView data) => [.. _mlContext.Data.CreateEnumerable<Retrieved>(model.Transform(data), reuseRowObject: false)];

    [Test]
    public void Fit_OnTreePairs_RetrievesTheAncestors()
    {
        var metrics = _mlContext.HierarchicalRetrieval().Evaluate(_model.Transform(_mlContext.Data.LoadFromEnumerable(TreePairs.All())));

        // The baseline ranks 5 of the tree's real node ids, drawn at random (seeded) for each query.
        var shuffle = new Random(11);
        var randomTopK = TreePairs.Tree.Ids.ToDictionary(id => id, _ =>
        {
            string[] ids = [.. TreePairs.Tree.Ids];
            shuffle.Shuffle(ids);
            return ids[..5];
        });
        var random = _mlContext.HierarchicalRetrieval().Evaluate(
            _mlContext.Data.LoadFromEnumerable(TreePairs.All().Select(p => new { p.Query, p.Document, p.Distance, Documents = randomTopK[p.Query] })));
        Assert.Multiple(() =>
        {
            Assert.That(random.Queries, Is.EqualTo(TreePairs.Tree.Count));
            Assert.That(random.Overall, Is.GreaterThan(0), "a random ranking of node ids finds some ancestors");
            Assert.That(metrics.Queries, Is.EqualTo(TreePairs.Tree.Count));
            Assert.That(metrics.Overall, Is.GreaterThan(0.8), "recall@|S(q)| of the fitted model");
            Assert.That(metrics.Overall, Is.GreaterThan(random.Overall + 0.5), "far above a random ranking of the same node ids");
            Assert.That(_model.Training, Is.Not.Null);
        });
    }

    [Test]
    public void Transform_AddsEmbeddingDocumentsAndScores_UnknownQueriesGetZeros()
    {
        var rows = Run(_model, Queries("r.1.2", "not-a-node"));
        Assert.Multiple(() =>
        {
            Assert.That(rows[0].Documents, Has.Length.EqualTo(5));
            Assert.That(rows[0].Scores, Is.Ordered.Descending);
            Assert.That(rows[0].QueryEmbedding, Has.Length.EqualTo(8));
            Assert.That(Math.Sqrt(rows[0].QueryEmbedding.Sum(v => v * v)), Is.EqualTo(1).Within(1e-5));
            Assert.That(rows[1].QueryEmbedding, Is.All.EqualTo(0f));
            Assert.That(rows[1].Scores, Is.All.EqualTo(0f));
        });
    }

    [Test]
    public void SavedZip_ReloadedInThisProcess_GivesIdenticalTopK()
    {
        string path = Path.Combine(_folder.Path, "model.zip");
        _model.Save(_mlContext, path);
        var reloaded = _mlContext.Model.Load(path, out var schema);
        var names = TreePairs.Tree.Ids.ToArray();
        var expected = Run(_model, Queries(names));
        var actual = Run(reloaded, Queries(names));
        Assert.Multiple(() =>
        {
            Assert.That(schema[0].Name, Is.EqualTo("Query"));
            Assert.That(actual.Select(r => r.Documents), Is.EqualTo(expected.Select(r => r.Documents)));
            Assert.That(actual.SelectMany(r => r.Scores), Is.EqualTo(expected.SelectMany(r => r.Scores)));
        });
    }

    [Test]
    public void SavedZip_ReloadedInAFreshProcessWithNoOtherFiles_GivesIdenticalTopK()
    {
        string zip = Path.Combine(_folder.Path, "fresh", "model.zip");
        Directory.CreateDirectory(Path.GetDirectoryName(zip)!);
        _model.Save(_mlContext, zip);
        var names = TreePairs.Tree.Ids.ToArray();
        string queries = _folder.Write("queries.tsv", string.Join('\n', names) + "\n");
        string output = Path.Combine(_folder.Path, "scored.tsv");

        // The example program references ML.NET and the scoring runtime only (no training, no TorchSharp) and sees nothing but the zip.
        var (exit, _, errors) = Example.Run("BatchScoring", zip, queries, output);
        Assert.That(exit, Is.Zero, errors);

        var expected = Run(_model, Queries(names))
            .SelectMany(r => r.Documents.Select((d, i) => $"{r.Query}\t{i + 1}\t{d}\t{r.Scores[i].ToString("R", System.Globalization.CultureInfo.InvariantCulture)}"));
        Assert.That(File.ReadLines(output).Skip(1), Is.EqualTo(expected));
    }

    [Test]
    public void EstimatorChain_WithStandardTransformsBeforeAndAfter_FitsAndTransforms()
    {
        var pipeline = _mlContext.Transforms.Text.NormalizeText("Query", "RawQuery", keepDiacritics: true, keepPunctuations: true, keepNumbers: true)
            .Append(_mlContext.HierarchicalRetrieval().Trainers.DualEncoder(TreePairs.Options()))
            .Append(_mlContext.Transforms.Concatenate("Features", "QueryEmbedding", "Scores"));
        var pairs = _mlContext.Data.LoadFromEnumerable(TreePairs.All().Select(p => new { RawQuery = p.Query.ToUpperInvariant(), p.Document, p.Distance }));
        var fitted = pipeline.Fit(pairs);
        var features = fitted.Transform(pairs).GetColumn<float[]>("Features").First();
        var documents = fitted.Transform(pairs).GetColumn<string[]>("Documents").First();
        Assert.Multiple(() =>
        {
            Assert.That(features, Has.Length.EqualTo(8 + 5));
            Assert.That(documents, Has.Length.EqualTo(5));
            Assert.That(documents, Has.Some.EqualTo("r"), "the lower-cased query finds the root among its ancestors");
        });
    }

    [Test]
    public void PredictionEngine_OneQueryAtATime_MatchesTransform()
    {
        // Disposing a prediction engine disposes the ONNX transformer it wraps (ML.NET's behaviour), so it gets a reloaded copy.
        string path = Path.Combine(_folder.Path, "engine.zip");
        _model.Save(_mlContext, path);
        using var engine = _mlContext.Model.CreatePredictionEngine<QueryRow, Retrieved>(_mlContext.Model.Load(path, out _));
        var one = engine.Predict(new QueryRow { Query = "r.2" });
        var batch = Run(_model, Queries("r.2")).Single();
        Assert.That(one.Documents, Is.EqualTo(batch.Documents));
    }

    [Test]
    public void BatchScorer_FromTheZip_MatchesThePerRowPath()
    {
        string path = Path.Combine(_folder.Path, "batch.zip");
        _model.Save(_mlContext, path);
        var names = TreePairs.Tree.Ids.ToArray();
        using var scorer = new BatchScorer(RetrievalModelZip.Read(path), ExactIndexFactory.WithThreads(1));
        long[] ids = [.. names.Select(n => scorer.TryGetQueryId(n, out long id) ? id : throw new AssertionException(n))];
        var result = scorer.Search(ids, k: 5);
        var expected = Run(_model, Queries(names));
        for (int q = 0; q < names.Length; q++)
        {
            Assert.That(result.IdsOf(q).ToArray().Select(scorer.DocumentName), Is.EqualTo(expected[q].Documents), names[q]);
            Assert.That(result.ScoresOf(q).ToArray(), Is.EqualTo(expected[q].Scores).Within(1e-5), names[q]);
        }
    }

    [Test]
    public void Towers_AsTransforms_EmbedLikeTheFittedModelAndPersist()
    {
        var pipeline = _mlContext.HierarchicalRetrieval().Transforms.EmbedQueries(_model.QueryTower, "Embedded");
        var data = Queries("r.1", "r.1.2.0", "nobody");
        var fitted = pipeline.Fit(data);
        string path = Path.Combine(_folder.Path, "tower.zip");
        _mlContext.Model.Save(fitted, data.Schema, path);
        var reloaded = _mlContext.Model.Load(path, out _);
        float[][] Embedded(ITransformer t) => [.. t.Transform(data).GetColumn<float[]>("Embedded")];
        var expected = Run(_model, data).Select(r => r.QueryEmbedding).ToArray();
        Assert.Multiple(() =>
        {
            Assert.That(Embedded(fitted), Is.EqualTo(expected));
            Assert.That(Embedded(reloaded), Is.EqualTo(expected));
            Assert.That(() => _mlContext.HierarchicalRetrieval().Transforms.EmbedDocuments(_model.QueryTower), Throws.ArgumentException.With.Message.Contains("expected a document tower"));
        });
        var documents = _mlContext.HierarchicalRetrieval().Transforms.EmbedDocuments(_model.DocumentTower, inputColumnName: "Query").Fit(data).Transform(data).GetColumn<float[]>("DocumentEmbedding").First();
        Assert.That(Math.Sqrt(documents.Sum(v => v * v)), Is.EqualTo(1).Within(1e-5));
    }

    [Test]
    public void BadSchemas_AreReportedAtFitWithTheColumnAndTheExpectedType()
    {
        var estimator = _mlContext.HierarchicalRetrieval().Trainers.DualEncoder(TreePairs.Options());
        var noDistance = _mlContext.Data.LoadFromEnumerable(new[] { new { Query = "a", Document = "b" } });
        var textDistance = _mlContext.Data.LoadFromEnumerable(new[] { new { Query = "a", Document = "b", Distance = "one" } });
        var numericQuery = _mlContext.Data.LoadFromEnumerable(new[] { new { Query = 3f, Document = "b", Distance = 1 } });
        var chain = _mlContext.Transforms.CopyColumns("Copy", "Query").Append(estimator);
        Assert.Multiple(() =>
        {
            Assert.That(() => estimator.Fit(noDistance), Throws.InstanceOf<ArgumentOutOfRangeException>().With.Message.Contains("distance column 'Distance' was not found"));
            Assert.That(() => estimator.Fit(textDistance), Throws.InstanceOf<ArgumentOutOfRangeException>().With.Message.Contains("'Distance' must be a scalar numeric column, found String"));
            Assert.That(() => chain.Fit(numericQuery), Throws.InstanceOf<ArgumentOutOfRangeException>().With.Message.Contains("query column 'Query' must be a scalar String (text) column, found Single"));
            Assert.That(() => _model.Transform(_mlContext.Data.LoadFromEnumerable(new[] { new { Text = "a" } })), Throws.InstanceOf<ArgumentOutOfRangeException>().With.Message.Contains("query column 'Query' was not found"));
        });
    }

    [Test]
    public void HeldOutPairs_AreNotTrainedOn_AndTheirColumnIsChecked()
    {
        var allHeld = _mlContext.Data.LoadFromEnumerable(TreePairs.All().Select(p => new { p.Query, p.Document, p.Distance, Held = true }));
        var intHeld = _mlContext.Data.LoadFromEnumerable(TreePairs.All().Select(p => new { p.Query, p.Document, p.Distance, Held = 1 }));
        var estimator = _mlContext.HierarchicalRetrieval().Trainers.DualEncoder(TreePairs.Options() with { HeldOutColumnName = "Held" });
        Assert.Multiple(() =>
        {
            Assert.That(() => estimator.Fit(allHeld), Throws.InstanceOf<InvalidDataException>().With.Message.Contains("no rows to train on"));
            Assert.That(() => estimator.Fit(intHeld), Throws.InstanceOf<ArgumentOutOfRangeException>().With.Message.Contains("held-out column 'Held' must be a scalar Boolean column, found Int32"));
        });
    }

    [Test]
    public void WordNetPipelineExample_RunsEndToEnd()
    {
        string folder = Path.Combine(_folder.Path, "pipeline");
        var (exit, output, errors) = Example.Run("WordNetPipeline", "wordnet-mammals", folder, "300");
        Assert.That(exit, Is.Zero, errors);
        var overall = System.Text.RegularExpressions.Regex.Match(output, @"overall ([0-9.]+) %");
        Assert.Multiple(() =>
        {
            Assert.That(File.Exists(Path.Combine(folder, "model.zip")), Is.True);
            Assert.That(output, Does.Contain("recall@|S(q)| by distance"));
            Assert.That(overall.Success, Is.True, output);
            Assert.That(double.Parse(overall.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture), Is.GreaterThan(50), output);
        });
    }

    [Test]
    public void BadRows_AreReportedWithTheirRowNumber()
    {
        var estimator = _mlContext.HierarchicalRetrieval().Trainers.DualEncoder(TreePairs.Options());
        var selfDistance = _mlContext.Data.LoadFromEnumerable(new[] { new PairRow { Query = "a", Document = "b", Distance = 1 }, new PairRow { Query = "a", Document = "c", Distance = 0 } });
        var empty = _mlContext.Data.LoadFromEnumerable(new[] { new PairRow { Query = " ", Document = "b", Distance = 1 } });
        Assert.Multiple(() =>
        {
            Assert.That(() => estimator.Fit(selfDistance), Throws.InstanceOf<InvalidDataException>().With.Message.Contains("row 2: distance 0"));
            Assert.That(() => estimator.Fit(empty), Throws.InstanceOf<InvalidDataException>().With.Message.Contains("row 1: column 'Query' is empty"));
            Assert.That(() => estimator.Fit(_mlContext.Data.LoadFromEnumerable(Array.Empty<PairRow>())), Throws.InstanceOf<InvalidDataException>().With.Message.Contains("no rows"));
            Assert.That(() => RetrievalModelZip.Read(_folder.Write("text.zip", "not a zip")), Throws.InstanceOf<InvalidDataException>().With.Message.Contains("not a model zip"));
        });
    }
}
