using System.Text.Json;
using static HierRetrieval.Cli.Tests.Hierret;

namespace HierRetrieval.Cli.Tests;

public class TextCommandTests
{
    [Test]
    public void TrainText_OnHeldOutPairs_ReportsTheTextAndLookupModels()
    {
        var (exit, output, error) = Run("train-text", "--held-out", "pairs", "--held-out-fraction", "0.1", "--dim", "16", "--hidden", "32", "--steps", "40", "--finetune-steps", "10", "--threads", "2", "--by-evidence", "--json");
        Assert.That(exit, Is.Zero, error);
        using var json = JsonDocument.Parse(output);
        var models = json.RootElement.GetProperty("models").EnumerateArray().Select(m => m.GetProperty("model").GetString()).ToArray();
        long testPairs = json.RootElement.GetProperty("models")[0].GetProperty("pairs").GetInt64();
        var classes = json.RootElement.GetProperty("byEvidence").EnumerateObject().ToDictionary(c => c.Name, c => c.Value.EnumerateArray().ToArray());
        Assert.Multiple(() =>
        {
            Assert.That(json.RootElement.GetProperty("heldOut").GetString(), Is.EqualTo("pairs"));
            Assert.That(json.RootElement.GetProperty("testQueries").GetInt32(), Is.EqualTo(512));
            Assert.That(models, Is.EqualTo(new[] { "text, pretrain-finetune", "text, after pretraining (standard)", "lookup tables, standard" }));
            Assert.That(classes.Keys, Is.SubsetOf(new[] { "path", "sharedDescendant", "none" }).And.Contains("none"));
            Assert.That(classes.Values.Sum(rows => rows[0].GetProperty("pairs").GetInt64()), Is.EqualTo(testPairs), "the classes split the test pairs");
            Assert.That(classes.Values.Select(rows => rows.Select(r => r.GetProperty("model").GetString())), Has.All.EqualTo(new[] { "text", "lookup tables" }));
        });
    }

    [Test]
    public void TrainText_ByEvidenceOnHeldOutNodes_IsRefusedWithTheReason()
    {
        var (exit, _, error) = Run("train-text", "--by-evidence");
        Assert.Multiple(() =>
        {
            Assert.That(exit, Is.Not.Zero);
            Assert.That(error, Does.Contain("--by-evidence needs --held-out pairs"));
        });
    }

    [Test]
    public void TrainText_RejectsAPairFractionOfOneHalfOrMore()
    {
        var (exit, _, error) = Run("train-text", "--held-out", "pairs", "--held-out-fraction", "0.5");
        Assert.Multiple(() =>
        {
            Assert.That(exit, Is.Not.Zero);
            Assert.That(error, Does.Contain("--held-out-fraction must be below 0.5 with --held-out pairs"));
        });
    }

    [TestCase("--tune-top-layer")]
    [TestCase("--tune-top-layer", "--backbone", "minilm", "--item-embeddings")]
    public void TrainText_TuneTopLayer_NeedsABackboneAndNoItemVectors(params string[] options)
    {
        var (exit, _, error) = Run(["train-text", .. options]);
        Assert.Multiple(() =>
        {
            Assert.That(exit, Is.Not.Zero);
            Assert.That(error, Does.Contain("--tune-top-layer needs --backbone"));
        });
    }
}
