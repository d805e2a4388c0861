using System.Text.Json;
using HierRetrieval.Tests.Shared;
using static HierRetrieval.Cli.Tests.Hierret;

namespace HierRetrieval.Cli.Tests;

public class TrainingCommandTests
{
    private static readonly Dictionary<string, string> SmallRunOptions = new()
    {
        ["--hierarchy"] = "wordnet-mammals",
        ["--dim"] = "16",
        ["--steps"] = "300",
        ["--finetune-steps"] = "20",
        ["--batch-size"] = "256",
        ["--negatives"] = "256",
        ["--validate-every"] = "100",
        ["--finetune-validate-every"] = "10",
        ["--threads"] = "2",
    };

    private static string[] SmallRun => With();

    /// <summary>The small mammal run's options, with <paramref name="overrides"/> (option, value) replacing or adding options.</summary>
    private static string[] With(params (string Option, string Value)[] overrides)
    {
        var options = new Dictionary<string, string>(SmallRunOptions);
        foreach (var (option, value) in overrides)
        {
            options[option] = value;
        }

        return [.. options.SelectMany(o => new[] { o.Key, o.Value })];
    }

    [Test]
    public void Train_ThenEvaluateAndHyperLex_UseTheSavedModel()
    {
        using var folder = new TempFolder();
        var (exit, output, error) = Run(["train", .. SmallRun, "--out", folder.Path, "--json"]);
        Assert.That(exit, Is.EqualTo(0), error);
        using var trained = JsonDocument.Parse(output);
        double overall = trained.RootElement.GetProperty("overall").GetDouble();
        Assert.Multiple(() =>
        {
            Assert.That(overall, Is.GreaterThan(0.6));
            Assert.That(trained.RootElement.GetProperty("byDistance").EnumerateObject().Count(), Is.GreaterThan(3));
            foreach (string file in new[] { "embeddings.bin", "checkpoint.bin", "training-curve.svg", "test-metrics.json" })
            {
                Assert.That(File.Exists(Path.Combine(folder.Path, file)), Is.True, file);
            }

            Assert.That(File.ReadLines(Path.Combine(folder.Path, "training-curve.csv")).First(), Does.StartWith("step,stage,stage_step,loss,overall,min,recall_d"));
        });

        var (evaluateExit, evaluated, evaluateError) = Run("evaluate", "--model", folder.Path, "--hierarchy", "wordnet-mammals", "--json");
        Assert.That(evaluateExit, Is.EqualTo(0), evaluateError);
        using var evaluation = JsonDocument.Parse(evaluated);
        Assert.That(evaluation.RootElement.GetProperty("overall").GetDouble(), Is.EqualTo(overall), "evaluate rebuilds the same test split");

        var (evidenceExit, evidenceOutput, evidenceError) = Run("evaluate", "--model", folder.Path, "--hierarchy", "wordnet-mammals", "--by-evidence", "--json");
        Assert.That(evidenceExit, Is.EqualTo(0), evidenceError);
        using var evidence = JsonDocument.Parse(evidenceOutput);
        var classes = evidence.RootElement.GetProperty("byEvidence");
        Assert.Multiple(() =>
        {
            Assert.That(evidence.RootElement.GetProperty("all").GetProperty("overall").GetDouble(), Is.EqualTo(overall));
            Assert.That(classes.EnumerateObject().Select(c => c.Name), Is.EqualTo(new[] { "path", "sharedDescendant", "none" }));
            Assert.That(classes.EnumerateObject().Sum(c => c.Value.GetProperty("pairs").GetInt64()), Is.EqualTo(evidence.RootElement.GetProperty("all").GetProperty("pairs").GetInt64()), "every test pair in exactly one class");
            Assert.That(classes.GetProperty("path").GetProperty("overall").GetDouble(), Is.GreaterThan(classes.GetProperty("none").GetProperty("overall").GetDouble()), "implied links are easier than unsupported ones");
        });

        var (allExit, _, allError) = Run("evaluate", "--model", folder.Path, "--hierarchy", "wordnet-mammals", "--split", "all", "--by-evidence");
        Assert.Multiple(() =>
        {
            Assert.That(allExit, Is.EqualTo(1));
            Assert.That(allError, Does.Contain("--by-evidence needs --split test"));
        });

        string hyperLex = folder.Write("hyperlex.txt",
            "WORD1 WORD2 POS TYPE AVG_SCORE AVG_SCORE_0_10 STD SCORES..\n" +
            "dog canine N hyp-1 5.8 9.7 0.4 6 6\n" +
            "dog mammal N hyp-3 5.5 9.2 0.5 6 5\n" +
            "horse equine N hyp-1 5.9 9.8 0.3 6 6\n" +
            "cat dog N cohyp 0.3 0.5 0.5 0 1\n" +
            "whale horse N cohyp 0.1 0.2 0.3 0 0\n" +
            "run walk V cohyp 1.0 1.7 0.5 1 1\n" +
            "teapot mammal N no-rel 0.0 0.0 0.0 0 0\n");
        var (lexExit, lexOutput, lexError) = Run("hyperlex", "--model", folder.Path, "--file", hyperLex, "--json");
        Assert.That(lexExit, Is.EqualTo(0), lexError);
        using var lex = JsonDocument.Parse(lexOutput);
        Assert.Multiple(() =>
        {
            Assert.That(lex.RootElement.GetProperty("pairs").GetInt32(), Is.EqualTo(6), "noun rows only");
            Assert.That(lex.RootElement.GetProperty("covered").GetInt32(), Is.EqualTo(5), "teapot is not a mammal lemma");
            // 5 covered pairs: rho = 1 - 6 * sum(d^2) / (5 * 24); the trained model ranks them with sum(d^2) = 6 for this seed.
            Assert.That(lex.RootElement.GetProperty("spearman").GetDouble(), Is.EqualTo(0.7).Within(1e-12), "Spearman's rho of the model's scores against AVG_SCORE, fixed by the seed");
        });
    }

    [Test]
    public void HyperLex_MalformedLine_ReportsFileAndLine()
    {
        using var folder = new TempFolder();
        Assert.That(Run(["train", .. With(("--recipe", "standard"), ("--steps", "10")), "--out", folder.Path]).Exit, Is.EqualTo(0));
        string bad = folder.Write("bad.txt", "WORD1 WORD2 POS TYPE AVG_SCORE\ndog canine N hyp-1 high\n");
        var (exit, _, error) = Run("hyperlex", "--model", folder.Path, "--file", bad);
        Assert.Multiple(() =>
        {
            Assert.That(exit, Is.EqualTo(1));
            Assert.That(error, Does.Contain($"{bad}:2: field 5 (AVG_SCORE) 'high' is not a number"));
        });
    }

    [Test]
    public void HyperLex_SharedDataset_CoversMostNounPairs()
    {
        string zip = Path.Combine(Repository.Root, "..", "shared", "datasets", "hyperlex", "hyperlex-data.zip");
        if (!File.Exists(zip))
        {
            Assert.Ignore($"HyperLex is not shipped with the project (research licence); {zip} is absent on this machine");
        }

        using var folder = new TempFolder();
        Assert.That(Run(["train", "--hierarchy", "wordnet-nouns", "--dim", "8", "--steps", "5", "--recipe", "standard", "--validation-queries", "64", "--out", folder.Path]).Exit, Is.EqualTo(0));
        var (exit, output, error) = Run("hyperlex", "--model", folder.Path, "--file", zip, "--json");
        Assert.That(exit, Is.EqualTo(0), error);
        using var json = JsonDocument.Parse(output);
        Assert.Multiple(() =>
        {
            Assert.That(json.RootElement.GetProperty("pairs").GetInt32(), Is.EqualTo(2163));
            Assert.That(json.RootElement.GetProperty("covered").GetInt32(), Is.GreaterThan(2000));
        });
    }

    [TestCase("--recipe", "fancy", "fancy")]
    [TestCase("--dim", "0", "--dim must be at least 1, got 0")]
    [TestCase("--lr", "-1", "--lr must be a positive number no larger than 3.4E+38, got -1")]
    [TestCase("--lr", "1e300", "--lr must be a positive number no larger than 3.4E+38, got 1E+300")]
    [TestCase("--finetune-temperature", "Infinity", "--finetune-temperature must be a positive number no larger than 3.4E+38, got Infinity")]
    public void Train_BadOption_ParseErrorNamesIt_AndNothingIsWritten(string option, string value, string message)
    {
        using var folder = new TempFolder();
        string output = Path.Combine(folder.Path, "run");
        var (exit, _, error) = Run(["train", .. With((option, value)), "--out", output]);
        Assert.Multiple(() =>
        {
            Assert.That(exit, Is.EqualTo(1));
            Assert.That(error, Does.Contain(message));
            Assert.That(Directory.Exists(output), Is.False, "no --out folder is created");
        });
    }

    [TestCase("banana", "error: Device must be cpu, cuda or cuda:<index> (got 'banana')")]
    [TestCase("cuda", "error: device cuda was requested but CUDA is not available here")]
    public void Train_UnavailableDevice_IsAClearError(string device, string message)
    {
        // The CLI and its tests ship only libtorch's CPU natives, so CUDA is never available to them.
        using var folder = new TempFolder();
        var (exit, _, error) = Run(["train", .. With(("--device", device)), "--out", folder.Path]);
        Assert.That((exit, error.StartsWith(message, StringComparison.Ordinal)), Is.EqualTo((1, true)), error);
    }

    [Test]
    public void Train_ThresholdAboveEveryDistance_ExplainsTheEmptyFarSet()
    {
        using var folder = new TempFolder();
        var (exit, _, error) = Run(["train", .. With(("--threshold", "50")), "--out", folder.Path]);
        Assert.Multiple(() =>
        {
            Assert.That(exit, Is.EqualTo(1));
            Assert.That(error, Does.StartWith("error: no training pair has distance >= 50"));
        });
    }

    [Test]
    public void Train_FinetuneRecipe_NeedsAModelToStartFrom_AndContinuesFromIt()
    {
        using var folder = new TempFolder();
        var (missingExit, _, missingError) = Run(["train", .. With(("--recipe", "finetune")), "--out", folder.Path]);
        Assert.That((missingExit, missingError), Is.EqualTo((1, "error: --recipe finetune needs --from <model>: the pretrained model to finetune" + Environment.NewLine)));

        string pretrained = Path.Combine(folder.Path, "pretrained");
        Assert.That(Run(["train", .. With(("--recipe", "standard")), "--out", pretrained]).Exit, Is.EqualTo(0));
        string finetuned = Path.Combine(folder.Path, "finetuned");
        var (exit, output, error) = Run(["train", .. With(("--recipe", "finetune"), ("--finetune-lr", "1e-3")), "--from", pretrained, "--out", finetuned]);
        Assert.That(exit, Is.EqualTo(0), error);

        // Curve rows: step,stage,stage_step,loss,overall,min,recall_d1,...; the standard recipe keeps its best validation point.
        string[][] Curve(string run) => [.. File.ReadLines(Path.Combine(run, "training-curve.csv")).Skip(1).Select(line => line.Split(','))];
        var before = Curve(pretrained);
        var after = Curve(finetuned);
        string[] kept = before.MaxBy(row => double.Parse(row[4], System.Globalization.CultureInfo.InvariantCulture))!;
        Assert.Multiple(() =>
        {
            Assert.That(output, Does.Contain("finetune:").And.Not.Contain("pretrain:"));
            Assert.That(before[0][4], Is.EqualTo("0.009174"), "the pretraining run starts from an untrained model");
            Assert.That(after.Select(row => row[1]), Is.All.EqualTo("finetune"), "only the finetuning stage runs");
            Assert.That((after[0][2], after[0][3]), Is.EqualTo(("0", "")), "the finetuning run's first point is validated before any step");
            Assert.That(after[0][4..], Is.EqualTo(kept[4..]), "step 0 of finetuning validates exactly as the pretrained model's kept point");
        });
    }

    [Test]
    public void Train_NearFraction_ThinsTheNearPairsOnly()
    {
        using var thinned = new TempFolder();
        using var unthinned = new TempFolder();
        var (exit, _, error) = Run(["train", .. With(("--recipe", "standard"), ("--near-fraction", "0.1"), ("--steps", "50")), "--out", thinned.Path]);
        Assert.That(exit, Is.EqualTo(0), error);
        var (fullExit, _, fullError) = Run(["train", .. With(("--recipe", "standard"), ("--steps", "50")), "--out", unthinned.Path]);
        Assert.That(fullExit, Is.EqualTo(0), fullError);

        // The held-out test pairs are the same; the training pairs lose near links, so far fewer test pairs are implied by a chain of training pairs.
        static JsonDocument Manifest(string run) => JsonDocument.Parse(File.ReadAllText(Path.Combine(run, "run.json")));
        static JsonElement Evidence(string run)
        {
            var (exit, output, error) = Run("evaluate", "--model", run, "--hierarchy", "wordnet-mammals", "--by-evidence", "--json");
            Assert.That(exit, Is.EqualTo(0), error);
            using var document = JsonDocument.Parse(output);
            return document.RootElement.Clone();
        }

        using var thin = Manifest(thinned.Path);
        using var full = Manifest(unthinned.Path);
        var thinEvidence = Evidence(thinned.Path);
        var fullEvidence = Evidence(unthinned.Path);
        long PathPairs(JsonElement evidence) => evidence.GetProperty("byEvidence").GetProperty("path").GetProperty("pairs").GetInt64();
        Assert.Multiple(() =>
        {
            Assert.That(thin.RootElement.GetProperty("manifest").GetProperty("Split").GetProperty("NearFraction").GetDouble(), Is.EqualTo(0.1));
            Assert.That(full.RootElement.GetProperty("manifest").GetProperty("Split").GetProperty("NearFraction").GetDouble(), Is.EqualTo(1.0));
            Assert.That(thin.RootElement.GetProperty("test").GetProperty("pairs").GetInt64(), Is.EqualTo(327));
            Assert.That(thin.RootElement.GetProperty("test").GetProperty("pairsByDistance").ToString(), Is.EqualTo(full.RootElement.GetProperty("test").GetProperty("pairsByDistance").ToString()), "the test pairs are not thinned");
            Assert.That(thinEvidence.GetProperty("all").GetProperty("pairs").GetInt64(), Is.EqualTo(fullEvidence.GetProperty("all").GetProperty("pairs").GetInt64()));
            Assert.That((PathPairs(thinEvidence), PathPairs(fullEvidence)), Is.EqualTo((62L, 251L)), "test pairs implied by the training pairs: thinning removed near training pairs");
        });

        var (badExit, _, badError) = Run(["train", .. With(("--near-fraction", "1.5")), "--out", thinned.Path]);
        Assert.That((badExit, badError.Contains("--near-fraction must be between 0 and 1", StringComparison.Ordinal)), Is.EqualTo((1, true)));
    }

    [Test]
    public void BenchTrain_Json_ReportsThroughputAndPeakMemory()
    {
        var (exit, output, error) = Run("bench", "train", "--hierarchy", "wordnet-mammals", "--dim", "8", "--steps", "20", "--batch-size", "128", "--negatives", "128", "--json");
        Assert.That(exit, Is.EqualTo(0), error);
        using var json = JsonDocument.Parse(output);
        var root = json.RootElement;
        double seconds = root.GetProperty("seconds").GetDouble();
        Assert.Multiple(() =>
        {
            Assert.That(root.GetProperty("steps").GetInt64(), Is.EqualTo(20));
            Assert.That((root.GetProperty("batchSize").GetInt32(), root.GetProperty("negatives").GetInt32()), Is.EqualTo((128, 128)));
            Assert.That(seconds, Is.GreaterThan(0));
            Assert.That(root.GetProperty("stepsPerSecond").GetDouble(), Is.EqualTo(20 / seconds).Within(1e-9).Percent);
            Assert.That(root.GetProperty("pairsPerSecond").GetDouble(), Is.EqualTo(20 * 128 / seconds).Within(1e-9).Percent, "a batch of 128 matched pairs per step");
            Assert.That(root.GetProperty("peakResidentMegabytes").GetDouble(), Is.GreaterThan(10));
        });
    }

    [Test]
    public void Train_MaskSourceImplied_IsRecordedAndChangesTheModel()
    {
        using var hierarchyMask = new TempFolder();
        using var impliedMask = new TempFolder();
        var run = With(("--steps", "100"), ("--recipe", "standard"));
        var (firstExit, first, firstError) = Run(["train", .. run, "--out", hierarchyMask.Path, "--json"]);
        var (secondExit, second, secondError) = Run(["train", .. run, "--mask-source", "implied", "--out", impliedMask.Path, "--json"]);
        Assert.That(firstExit, Is.EqualTo(0), firstError);
        Assert.That(secondExit, Is.EqualTo(0), secondError);
        using var withHierarchy = JsonDocument.Parse(first);
        using var withImplied = JsonDocument.Parse(second);
        Assert.Multiple(() =>
        {
            Assert.That(withImplied.RootElement.GetProperty("overall").GetDouble(), Is.Not.EqualTo(withHierarchy.RootElement.GetProperty("overall").GetDouble()));
            Assert.That(File.ReadAllBytes(Path.Combine(impliedMask.Path, "embeddings.bin")).AsSpan().IndexOf("\"MaskSource\":\"Implied\""u8), Is.GreaterThan(0), "the manifest records the mask source");
        });
    }

    [Test]
    public void Evaluate_MissingModel_IsAClearError()
    {
        using var folder = new TempFolder();
        var (exit, _, error) = Run("evaluate", "--model", folder.Path, "--hierarchy", "wordnet-mammals");
        Assert.Multiple(() =>
        {
            Assert.That(exit, Is.EqualTo(1));
            Assert.That(error, Does.Contain("no such model file"));
        });
    }
}
