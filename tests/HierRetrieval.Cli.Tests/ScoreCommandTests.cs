using System.Text.Json;
using HierRetrieval.Tests.Shared;
using Microsoft.ML;
using static HierRetrieval.Cli.Tests.Hierret;

namespace HierRetrieval.Cli.Tests;

public class ScoreCommandTests
{
    private TempFolder _folder = null!;
    private string _zip = null!;

    [OneTimeSetUp]
    public void TrainOnce()
    {
        _folder = new TempFolder();
        var (exit, _, error) = Run("train", "--hierarchy", "wordnet-mammals", "--dim", "16", "--steps", "200", "--finetune-steps", "20", "--batch-size", "256",
            "--negatives", "256", "--validate-every", "100", "--finetune-validate-every", "10", "--threads", "2", "--top-k", "4", "--out", _folder.Path, "--json");
        Assert.That(exit, Is.EqualTo(0), error);
        _zip = Path.Combine(_folder.Path, "model.zip");
    }

    [OneTimeTearDown]
    public void Release() => _folder.Dispose();

    [Test]
    public void Score_WritesRankedRows_EqualToThePerRowMLNetPath()
    {
        string queries = _folder.Write("queries.tsv", "# mammals\ndog.n.01\tcomment\n\nwhale.n.02\nmammal.n.01\n");
        string output = Path.Combine(_folder.Path, "scored.tsv");
        var (exit, _, error) = Run("score", "--model", _zip, "--queries", queries, "--top-k", "4", "--out", output);
        Assert.That(exit, Is.EqualTo(0), error);
        string[] rows = File.ReadAllLines(output);

        var mlContext = new MLContext(seed: 0);
        var chain = mlContext.Model.Load(_zip, out _);
        var scored = chain.Transform(mlContext.Data.LoadFromEnumerable(new[] { "dog.n.01", "whale.n.02", "mammal.n.01" }.Select(q => new QueryRow { Query = q })));
        var expected = mlContext.Data.CreateEnumerable<Scored>(scored, reuseRowObject: false)
            .SelectMany(r => r.Documents.Select((d, i) => (r.Query, Rank: i + 1, Document: d, r.Scores[i])))
            .ToArray();
        Assert.That(rows[0], Is.EqualTo("query\trank\tdocument\tscore"));
        Assert.That(rows, Has.Length.EqualTo(1 + expected.Length));
        for (int i = 0; i < expected.Length; i++)
        {
            string[] fields = rows[i + 1].Split('\t');
            Assert.That(fields[..3], Is.EqualTo(new[] { expected[i].Query, expected[i].Rank.ToString(System.Globalization.CultureInfo.InvariantCulture), expected[i].Document }), $"row {i + 1}");
            Assert.That(float.Parse(fields[3], System.Globalization.CultureInfo.InvariantCulture), Is.EqualTo(expected[i].Item4).Within(1e-5), $"row {i + 1}");
        }
    }

    [Test]
    public void Score_BadRow_FailsByDefaultWithItsLine_AndIsSkippedOnRequest()
    {
        string queries = _folder.Write("bad.csv", "query,extra\n\"dog.n.01\",1\nno-such-synset,2\n\"whale.n.02\",\"x\"\n\"broken,3\n");
        string output = Path.Combine(_folder.Path, "bad-out.tsv");
        var (failExit, _, failError) = Run("score", "--model", _zip, "--queries", queries, "--header", "--out", output);
        Assert.Multiple(() =>
        {
            Assert.That(failExit, Is.EqualTo(1));
            Assert.That(failError, Does.Contain("bad.csv:3: query 'no-such-synset' is not in the model's vocabulary"));
            Assert.That(File.Exists(output), Is.False, "nothing is written when the run fails");
        });

        var (exit, summary, error) = Run("score", "--model", _zip, "--queries", queries, "--header", "--out", output, "--bad-rows", "skip", "--top-k", "2", "--json");
        Assert.That(exit, Is.EqualTo(0), error);
        using var json = JsonDocument.Parse(summary);
        Assert.Multiple(() =>
        {
            Assert.That(json.RootElement.GetProperty("queries").GetInt64(), Is.EqualTo(2));
            Assert.That(json.RootElement.GetProperty("skipped").GetInt64(), Is.EqualTo(2));
            Assert.That(json.RootElement.GetProperty("firstSkipped")[1].GetProperty("reason").GetString(), Does.Contain("no closing quote"));
            Assert.That(File.ReadAllLines(output), Has.Length.EqualTo(1 + 4));
        });
    }

    [Test]
    public void Score_BadOptions_AreReported()
    {
        string queries = _folder.Write("one.tsv", "dog.n.01\n");
        Assert.Multiple(() =>
        {
            Assert.That(Run("score", "--model", _zip, "--queries", queries, "--out", "x.tsv", "--top-k", "100000").Error, Does.Contain("more than the model's"));
            Assert.That(Run("score", "--model", Path.Combine(_folder.Path, "embeddings.bin"), "--queries", queries, "--out", "x.tsv").Error, Does.Contain("not a model zip"));
            Assert.That(Run("score", "--model", _zip, "--queries", "missing.tsv", "--out", "x.tsv").Error, Does.Contain("missing.tsv: no such query file"));
        });
    }

    [Test]
    public void Score_InvalidUtf8AndAHugeUnknownQuery_AreBadRowsOnTheirLines_CutShort()
    {
        string queries = Path.Combine(_folder.Path, "hostile.tsv");
        File.WriteAllBytes(queries, [.. "dog.n.01\n"u8, 0x77, 0xC3, 0x28, (byte)'\n', .. System.Text.Encoding.UTF8.GetBytes(new string('q', 1_000_000) + "\nwhale.n.02\n")]);
        string output = Path.Combine(_folder.Path, "hostile-out.tsv");
        var (exit, _, error) = Run("score", "--model", _zip, "--queries", queries, "--out", output, "--bad-rows", "skip", "--top-k", "2");
        Assert.Multiple(() =>
        {
            Assert.That(exit, Is.EqualTo(0), error);
            Assert.That(error, Does.Contain("hostile.tsv:2: not valid UTF-8 (byte 2 of the line)"));
            Assert.That(error, Does.Contain("hostile.tsv:3: query '" + new string('q', 60) + "... (1,000,000 characters)' is not in the model's vocabulary"));
            Assert.That(error.Length, Is.LessThan(2_000), "the bad line is not echoed in full");
            Assert.That(File.ReadAllLines(output), Has.Length.EqualTo(1 + 4), "the lines after the bad ones are scored");
        });
    }

    [Test]
    public void Score_DamagedZip_IsRefusedNamingTheEntry()
    {
        string damaged = Path.Combine(_folder.Path, "damaged.zip");
        byte[] bytes = File.ReadAllBytes(_zip);
        bytes[bytes.Length / 2] ^= 0x40;
        File.WriteAllBytes(damaged, bytes);
        string queries = _folder.Write("two.tsv", "dog.n.01\n");
        var (exit, _, error) = Run("score", "--model", damaged, "--queries", queries, "--out", Path.Combine(_folder.Path, "never.tsv"));
        Assert.Multiple(() =>
        {
            Assert.That(exit, Is.EqualTo(1));
            Assert.That(error, Does.StartWith($"error: {damaged}: the zip is damaged: entry ").And.EndWith("; save the model again\n"));
            Assert.That(File.Exists(Path.Combine(_folder.Path, "never.tsv")), Is.False);
        });
    }

    [Test]
    public void Score_LeftoverOfAKilledRun_IsReplaced_AndNoTemporaryFileRemains()
    {
        using var folder = new TempFolder();
        string output = Path.Combine(folder.Path, "scored.tsv");
        File.WriteAllText(Path.Combine(folder.Path, ".scored.tsv.hierret-score.tmp"), new string('x', 10_000));
        string queries = folder.Write("q.tsv", "dog.n.01\n");
        var (exit, _, error) = Run("score", "--model", _zip, "--queries", queries, "--out", output, "--top-k", "2");
        Assert.Multiple(() =>
        {
            Assert.That(exit, Is.EqualTo(0), error);
            Assert.That(Directory.GetFiles(folder.Path).Select(Path.GetFileName).Order(), Is.EqualTo(new[] { "q.tsv", "scored.tsv" }));
        });
    }

    private sealed class QueryRow
    {
        public string Query { get; set; } = "";
    }

    private sealed class Scored
    {
        public string Query { get; set; } = "";

        public string[] Documents { get; set; } = [];

        public float[] Scores { get; set; } = [];
    }
}
