using System.Text.Json;
using HierRetrieval.Tests.Shared;
using static HierRetrieval.Cli.Tests.Hierret;

namespace HierRetrieval.Cli.Tests;

public class EsciCommandTests
{
    [Test]
    public void GenerateTrainAndScore_RunEndToEnd_OnParquetFiles()
    {
        using var folder = new TempFolder();
        Assert.That(Run("esci", "generate", "--out", folder.Path, "--families", "3", "--products-per-type", "5").Exit, Is.Zero);
        string examples = Path.Combine(folder.Path, "shopping_queries_dataset_examples.parquet"), products = Path.Combine(folder.Path, "shopping_queries_dataset_products.parquet");
        var (trainExit, trained, trainError) = Run("esci", "train", "--examples", examples, "--products", products, "--steps", "60", "--finetune-steps", "20",
            "--dim", "16", "--hidden", "32", "--k", "5", "--threads", "2", "--product-fields", "title,bullet_point", "--out", folder.Path, "--json");
        Assert.That(trainExit, Is.Zero, trainError);
        using var metrics = JsonDocument.Parse(trained);
        var trainedMetrics = metrics.RootElement.GetProperty("metrics");
        Assert.Multiple(() =>
        {
            Assert.That(trainedMetrics.GetProperty("queries").GetInt32(), Is.EqualTo(15), "the generated test split's queries");
            Assert.That(trainedMetrics.GetProperty("exactPairs").GetInt64(), Is.EqualTo(60));
            Assert.That(trainedMetrics.GetProperty("substitutePairs").GetInt64(), Is.EqualTo(60));
        });
        var (evaluateExit, evaluated, evaluateError) = Run("esci", "evaluate", "--model", Path.Combine(folder.Path, "model.zip"), "--examples", examples, "--products", products, "--k", "5", "--json");
        Assert.That(evaluateExit, Is.Zero, evaluateError);
        using var reloaded = JsonDocument.Parse(evaluated);
        Assert.That(
            reloaded.RootElement.GetProperty("metrics").GetProperty("exactRecall").GetDouble(),
            Is.EqualTo(metrics.RootElement.GetProperty("metrics").GetProperty("exactRecall").GetDouble()).Within(0.02),
            "the saved zip, re-embedding the products file with the fields it records, evaluates as the trained model did");

        string output = Path.Combine(folder.Path, "scored.tsv");
        var (exit, summary, error) = Run("score", "--model", Path.Combine(folder.Path, "model.zip"), "--examples", examples, "--products", products, "--split", "test", "--top-k", "5", "--out", output, "--json");
        Assert.That(exit, Is.Zero, error);
        using var json = JsonDocument.Parse(summary);
        int queries = json.RootElement.GetProperty("queries").GetInt32();
        string[] lines = File.ReadAllLines(output);
        Assert.Multiple(() =>
        {
            Assert.That(json.RootElement.GetProperty("products").GetInt32(), Is.EqualTo(3 * 4 * 5));
            Assert.That(queries, Is.EqualTo(trainedMetrics.GetProperty("queries").GetInt32()), "the test split that training evaluated");
            Assert.That(lines[0], Is.EqualTo("query_id\trank\tproduct_id\tscore"));
            Assert.That(lines, Has.Length.EqualTo(1 + (queries * 5)));
            Assert.That(Run("score", "--model", Path.Combine(folder.Path, "model.zip"), "--examples", examples, "--out", output).Error, Does.Contain("--examples needs --products"));
        });
    }

    [Test]
    public void TrainWithBackbone_ReportsZeroShotBeside_AndItsZipScoresQueryFilesAndProducts()
    {
        using var folder = new TempFolder();
        Assert.That(Run("esci", "generate", "--out", folder.Path, "--families", "3", "--products-per-type", "5").Exit, Is.Zero);
        string examples = Path.Combine(folder.Path, "shopping_queries_dataset_examples.parquet"), products = Path.Combine(folder.Path, "shopping_queries_dataset_products.parquet");
        var (trainExit, trained, trainError) = Run("esci", "train", "--examples", examples, "--products", products, "--steps", "60", "--finetune-steps", "20",
            "--dim", "16", "--backbone", "minilm", "--head-hidden", "32", "--embedding-cache", "none", "--k", "5", "--threads", "2", "--out", folder.Path, "--json");
        Assert.That(trainExit, Is.Zero, trainError);
        using var metrics = JsonDocument.Parse(trained);
        var zeroShot = metrics.RootElement.GetProperty("also")[0];
        string zip = Path.Combine(folder.Path, "model.zip");
        string queries = folder.Write("queries.tsv", "# free text, never seen in training\nred lamp\ncheap desk chair\n");
        string scored = Path.Combine(folder.Path, "scored.tsv");
        var (scoreExit, _, scoreError) = Run("score", "--model", zip, "--queries", queries, "--top-k", "3", "--out", scored);
        var (examplesExit, _, examplesError) = Run("score", "--model", zip, "--examples", examples, "--products", products, "--split", "test", "--top-k", "5", "--out", Path.Combine(folder.Path, "esci.tsv"));
        Assert.Multiple(() =>
        {
            Assert.That(metrics.RootElement.GetProperty("model").GetString(), Does.Contain("minilm + heads"));
            Assert.That(zeroShot.GetProperty("model").GetString(), Is.EqualTo("minilm, zero-shot (untrained), test split"));
            Assert.That(zeroShot.GetProperty("metrics").GetProperty("queries").GetInt32(), Is.EqualTo(15));
            Assert.That(scoreExit, Is.Zero, scoreError);
            Assert.That(File.ReadAllLines(scored).Skip(1).Select(l => l.Split('\t')[0]), Is.EqualTo(new[] { "red lamp", "red lamp", "red lamp", "cheap desk chair", "cheap desk chair", "cheap desk chair" }));
            Assert.That(examplesExit, Is.Zero, examplesError);
            Assert.That(File.ReadAllLines(Path.Combine(folder.Path, "esci.tsv")), Has.Length.EqualTo(1 + (15 * 5)));
        });
    }

    [Test]
    public void TrainWithABackboneWhoseZipCannotLoad_AndOut_IsRefusedBeforeTraining()
    {
        using var folder = new TempFolder();
        Assert.That(Run("esci", "generate", "--out", folder.Path, "--families", "2", "--products-per-type", "2").Exit, Is.Zero);
        var minilm = HierRetrieval.Backbones.PackagedSentenceEncoders.Get(HierRetrieval.Backbones.PackagedSentenceEncoders.MiniLM);
        string encoder = Path.Combine(folder.Path, "other-vocabulary");
        new Runtime.Text.Backbones.SentenceEncoderModel("other", minilm.OnnxModel, "[PAD]\n[UNK]\n[CLS]\n[SEP]\n[MASK]\nlamp\n"u8.ToArray(), Export.Onnx.BackbonePooling.Mean, 256).SaveFolder(encoder);
        var (exit, _, error) = Run("esci", "train", "--examples", Path.Combine(folder.Path, "shopping_queries_dataset_examples.parquet"),
            "--products", Path.Combine(folder.Path, "shopping_queries_dataset_products.parquet"), "--backbone", encoder, "--out", Path.Combine(folder.Path, "run"));
        Assert.Multiple(() =>
        {
            Assert.That(exit, Is.Not.Zero);
            Assert.That(error, Does.Contain("error: --out: other-vocabulary: a model zip cannot carry this encoder's tokenizer"));
            Assert.That(Directory.Exists(Path.Combine(folder.Path, "run")), Is.False, "nothing trained, nothing written");
        });
    }

    [TestCase("mix", "0.5", "--exact-replay: only exact-then-substitute has a Substitute stage to replay Exact pairs in (--recipe is mix)")]
    [TestCase("exact-then-substitute", "1", "--exact-replay must be at least 0 and below 1, got 1")]
    public void ExactReplay_WithoutASubstituteStageOrOutOfRange_IsRefusedBeforeTheFilesAreRead(string recipe, string replay, string message)
    {
        using var folder = new TempFolder();   // empty: the refusal comes before the (missing) tables are opened
        var (exit, _, error) = Run("esci", "train", "--examples", Path.Combine(folder.Path, "shopping_queries_dataset_examples.parquet"),
            "--products", Path.Combine(folder.Path, "shopping_queries_dataset_products.parquet"), "--recipe", recipe, "--exact-replay", replay);
        Assert.Multiple(() =>
        {
            Assert.That(exit, Is.Not.Zero);
            Assert.That(error, Does.Contain(message));
        });
    }
}
