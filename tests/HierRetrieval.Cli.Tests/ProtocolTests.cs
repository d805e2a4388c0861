using System.Text.Json;
using HierRetrieval.Tests.Shared;
using static HierRetrieval.Cli.Tests.Hierret;

namespace HierRetrieval.Cli.Tests;

public class ProtocolTests
{
    /// <summary>
    /// The paper-comparable protocol on a perfect tree (W=5, H=4) at d=3: pretraining without masking loses distance 3
    /// (the paper's lost-in-the-long-distance shape), and finetuning on far pairs lifts min recall over D1.. (the
    /// paper's Min, which the protocol's validation reads too).
    /// </summary>
    [Test]
    public void PaperComparable_RecordsItsSettings_StandardLosesFarPairs_AndTheRecipeLiftsMinRecall()
    {
        using var folder = new TempFolder();
        var (exit, output, error) = Run("train", "--hierarchy", "tree:W=5,H=4", "--protocol", "paper-comparable", "--dim", "3", "--threads", "1",
            "--batch-size", "64", "--negatives", "64", "--steps", "2000", "--validate-every", "200", "--threshold", "2", "--finetune-validate-every", "10",
            "--patience", "0", "--out", folder.Path);
        Assert.That(exit, Is.EqualTo(0), error);
        using var run = JsonDocument.Parse(File.ReadAllText(Path.Combine(folder.Path, "run.json")));
        var manifest = run.RootElement.GetProperty("manifest");
        var stages = manifest.GetProperty("Options").GetProperty("Stages");
        var split = manifest.GetProperty("Split").GetProperty("Pairs");
        JsonElement Report(string file) => JsonDocument.Parse(File.ReadAllText(Path.Combine(folder.Path, file))).RootElement;
        JsonElement ByDistance(string file) => Report(file).GetProperty("byDistance");
        double MinFromD1(string file) => ByDistance(file).EnumerateObject().Where(d => d.Name != "0").Min(d => d.Value.GetDouble());
        double Min(string file) => Report(file).GetProperty("min").GetDouble();
        Assert.Multiple(() =>
        {
            Assert.That(output, Does.StartWith("tree:W=5,H=4: 156 nodes, d=3, pretrain-finetune (paper-comparable), seed 0; all pairs (586 pairs)"));
            Assert.That(manifest.GetProperty("Protocol").GetString(), Is.EqualTo("paper-comparable"));
            Assert.That((split.GetProperty("ValidationFraction").GetDouble(), split.GetProperty("TestFraction").GetDouble()), Is.EqualTo((0.0, 0.0)));
            Assert.That(stages[0].GetProperty("MaskFalseNegatives").GetBoolean(), Is.False);
            Assert.That(stages[1].GetProperty("MaskFalseNegatives").GetBoolean(), Is.True);
            Assert.That(stages[1].GetProperty("LearningRate").GetDouble(), Is.EqualTo(3e-3));
            Assert.That(stages[1].GetProperty("EarlyStopping").GetProperty("Metric").GetString(), Is.EqualTo("Min"));
            Assert.That(manifest.GetProperty("Validation").GetProperty("MinFromDistance").GetInt32(), Is.EqualTo(1), "min over D1.. as the paper's");
            Assert.That(ByDistance("test-metrics.pretrain.json").GetProperty("3").GetDouble(), Is.LessThan(0.05), "standard training loses distance 3");
            Assert.That((Min("test-metrics.json"), Min("test-metrics.pretrain.json")), Is.EqualTo((MinFromD1("test-metrics.json"), MinFromD1("test-metrics.pretrain.json"))), "reports give the paper's Min (D1..)");
            Assert.That(Min("test-metrics.json"), Is.GreaterThan(Min("test-metrics.pretrain.json") + 0.1), "finetuning on far pairs raises min recall");
        });
    }

    [Test]
    public void Protocol_ExplicitOptionsWin()
    {
        using var folder = new TempFolder();
        var (exit, _, error) = Run("train", "--hierarchy", "tree:W=3,H=3", "--protocol", "paper-comparable", "--dim", "4", "--steps", "20", "--finetune-steps", "5",
            "--batch-size", "16", "--negatives", "8", "--threshold", "2", "--finetune-lr", "0.02", "--test-fraction", "0.1", "--validation-min-from", "0", "--out", folder.Path);
        Assert.That(exit, Is.EqualTo(0), error);
        var manifest = JsonDocument.Parse(File.ReadAllText(Path.Combine(folder.Path, "run.json"))).RootElement.GetProperty("manifest");
        Assert.Multiple(() =>
        {
            Assert.That(manifest.GetProperty("Options").GetProperty("Stages")[1].GetProperty("LearningRate").GetDouble(), Is.EqualTo(0.02));
            Assert.That(manifest.GetProperty("Split").GetProperty("Pairs").GetProperty("TestFraction").GetDouble(), Is.EqualTo(0.1));
            Assert.That(manifest.GetProperty("Split").GetProperty("Pairs").GetProperty("ValidationFraction").GetDouble(), Is.EqualTo(0.0), "the protocol's");
            Assert.That(manifest.GetProperty("Validation").GetProperty("MinFromDistance").GetInt32(), Is.EqualTo(0));
        });
    }
}
