using System.CommandLine;
using System.Text.Json;
using HierRetrieval.Cli.Commands;
using HierRetrieval.Tests.Shared;
using static HierRetrieval.Cli.Tests.Hierret;

namespace HierRetrieval.Cli.Tests;

public class CliTests
{
    private static IEnumerable<string[]> CommandPaths(Command command, string[] prefix)
    {
        yield return prefix;
        foreach (var sub in command.Subcommands)
        {
            foreach (var path in CommandPaths(sub, [.. prefix, sub.Name]))
            {
                yield return path;
            }
        }
    }

    [Test]
    public void Help_EveryCommand_PrintsUsageAndExitsZero()
    {
        var paths = CommandPaths(HierretCommand.Create(), []).ToList();
        Assert.That(paths.Select(p => string.Join(' ', p)), Is.SupersetOf(new[] { "data stats", "data import-wordnet", "data export", "construct", "construct study", "bench closure", "bench index", "train", "evaluate", "hyperlex" }));
        foreach (var path in paths)
        {
            var (exit, output, _) = Run([.. path, "--help"]);
            Assert.That(exit, Is.EqualTo(0), string.Join(' ', path));
            Assert.That(output, Does.Contain("Usage:"), string.Join(' ', path));
        }
    }

    [Test]
    public void DataStats_Json_HasTheDocumentedFields()
    {
        var (exit, output, _) = Run("data", "stats", "--hierarchy", "wordnet-mammals", "--json");

        Assert.That(exit, Is.EqualTo(0));
        using var json = JsonDocument.Parse(output);
        var root = json.RootElement;
        Assert.Multiple(() =>
        {
            Assert.That(root.GetProperty("nodes").GetInt32(), Is.EqualTo(1180));
            Assert.That(root.GetProperty("edges").GetInt32(), Is.EqualTo(1180), "one root, one node with two parents");
            Assert.That(root.GetProperty("duplicateEdges").GetInt32(), Is.Zero);
            Assert.That(root.GetProperty("closurePairs").GetInt64(), Is.EqualTo(6540));
            Assert.That(root.GetProperty("multiParentNodes").GetInt32(), Is.EqualTo(1));
            Assert.That(root.GetProperty("roots").GetInt32(), Is.EqualTo(1));
            Assert.That(root.GetProperty("leaves").GetInt32(), Is.EqualTo(887));
            Assert.That(root.GetProperty("maxDepth").GetInt32(), Is.EqualTo(9));
            Assert.That(root.GetProperty("maxDistance").GetInt32(), Is.EqualTo(9));
            Assert.That(root.GetProperty("maxMatchSetSize").GetInt32(), Is.EqualTo(10));
        });
    }

    [Test]
    public void DataStats_MalformedFile_ReportsFileLineAndExitsNonZero()
    {
        using var folder = new TempFolder();
        string path = folder.Write("edges.tsv", "a\tb\nb\tc\td\n");

        var (exit, output, error) = Run("data", "stats", "--hierarchy", path);

        Assert.That(exit, Is.EqualTo(1));
        Assert.That(output, Is.Empty);
        Assert.That(error, Does.StartWith($"error: {path}:2: expected 'child<TAB>parent'"));
    }

    [Test]
    public void DataStats_Cycle_NamesNodes()
    {
        using var folder = new TempFolder();
        string path = folder.Write("edges.tsv", "a\tb\nb\ta\n");

        var (exit, _, error) = Run("data", "stats", "--hierarchy", path);

        Assert.That(exit, Is.EqualTo(1));
        Assert.That(error, Does.Contain($"{path}:1: cycle: a -> b -> a").Or.Contain($"{path}:1: cycle: b -> a -> b"));
    }

    [Test]
    public void DataStats_UnknownHierarchy_ExplainsTheForms()
    {
        var (exit, _, error) = Run("data", "stats", "--hierarchy", "no-such-file.tsv");

        Assert.That(exit, Is.EqualTo(1));
        Assert.That(error, Does.Contain("not a built-in name").And.Contain("wordnet-nouns"));
    }

    [Test]
    public void DataExport_ThenStats_RoundTrips()
    {
        using var folder = new TempFolder();
        string path = Path.Combine(folder.Path, "out", "tree.tsv");

        Assert.That(Run("data", "export", "--hierarchy", "tree:W=3,H=4", "--out", path).Exit, Is.EqualTo(0));
        var (exit, output, _) = Run("data", "stats", "--hierarchy", path, "--json");

        Assert.That(exit, Is.EqualTo(0));
        Assert.That(JsonDocument.Parse(output).RootElement.GetProperty("nodes").GetInt32(), Is.EqualTo(40));
    }

    [Test]
    public void Construct_Json_PrintsTheEvaluationReport()
    {
        var (exit, output, error) = Run("construct", "--hierarchy", "tree:W=3,H=4", "--dim", "128", "--seed", "1", "--json");

        Assert.That(exit, Is.EqualTo(0), error);
        using var json = JsonDocument.Parse(output);
        var root = json.RootElement;
        Assert.That(root.GetProperty("metric").GetString(), Is.EqualTo("recall@|S(q)|"));
        Assert.That(root.GetProperty("overall").GetDouble(), Is.EqualTo(1.0));
        Assert.That(root.GetProperty("queries").GetInt32(), Is.EqualTo(40));
        Assert.That(root.GetProperty("byDistance").EnumerateObject().Select(p => p.Name), Is.EqualTo(new[] { "0", "1", "2", "3" }));
        foreach (string field in new[] { "pairs", "min", "minDistance", "map", "meanRank" })
        {
            Assert.That(root.TryGetProperty(field, out _), Is.True, field);
        }
    }

    [Test]
    public void Construct_QuerySubset_EvaluatesThatManyQueries()
    {
        var (exit, output, _) = Run("construct", "--hierarchy", "tree:W=3,H=4", "--dim", "8", "--queries", "7", "--json");

        Assert.That(exit, Is.EqualTo(0));
        Assert.That(JsonDocument.Parse(output).RootElement.GetProperty("queries").GetInt32(), Is.EqualTo(7));
    }

    [TestCase("--dim", "0", "--dim must be at least 1")]
    [TestCase("--dim", "abc", "abc")]
    public void Construct_BadDimension_ParseErrorNamesOption(string option, string value, string message)
    {
        var (exit, _, error) = Run("construct", "--hierarchy", "tree:W=2,H=3", option, value);

        Assert.That(exit, Is.Not.EqualTo(0));
        Assert.That(error, Does.Contain(message));
    }

    [Test]
    public void Construct_MissingDimension_IsAnError()
    {
        var (exit, _, error) = Run("construct", "--hierarchy", "tree:W=2,H=3");

        Assert.That(exit, Is.Not.EqualTo(0));
        Assert.That(error, Does.Contain("--dim"));
    }

    [Test]
    public void BenchClosure_Json_ReportsPairsAndTimes()
    {
        var (exit, output, _) = Run("bench", "closure", "--hierarchy", "tree:W=2,H=6", "--repeats", "2", "--json");

        Assert.That(exit, Is.EqualTo(0));
        using var json = JsonDocument.Parse(output);
        var root = json.RootElement;
        double best = root.GetProperty("bestSeconds").GetDouble();
        Assert.Multiple(() =>
        {
            Assert.That(root.GetProperty("nodes").GetInt32(), Is.EqualTo(1 + 2 + 4 + 8 + 16 + 32));
            Assert.That(root.GetProperty("closurePairs").GetInt64(), Is.EqualTo(2 + (4 * 2) + (8 * 3) + (16 * 4) + (32 * 5)));
            Assert.That(root.GetProperty("repeats").GetInt32(), Is.EqualTo(2));
            Assert.That(best, Is.GreaterThan(0));
            Assert.That(best, Is.LessThanOrEqualTo(root.GetProperty("medianSeconds").GetDouble()), "the best of the runs is no slower than their median");
        });
    }

    [Test]
    public void BenchEvaluate_Json_ReportsTheSampleAndItsFigures()
    {
        var (exit, output, error) = Run("bench", "evaluate", "--hierarchy", "tree:W=2,H=6", "--dim", "8", "--queries", "10", "--repeats", "2", "--threads", "2", "--json");

        Assert.That(exit, Is.EqualTo(0), error);
        using var json = JsonDocument.Parse(output);
        var root = json.RootElement;
        int queries = root.GetProperty("queries").GetInt32();
        double seconds = root.GetProperty("seconds").GetDouble();
        Assert.Multiple(() =>
        {
            Assert.That((queries, root.GetProperty("dimension").GetInt32(), root.GetProperty("threads").GetInt32()), Is.EqualTo((10, 8, 2)));
            Assert.That(root.GetProperty("pairs").GetInt64(), Is.InRange(10, 10 * 6), "each query's self pair and its at most 5 ancestors");
            Assert.That(seconds, Is.GreaterThan(0));
            Assert.That(root.GetProperty("queriesPerSecond").GetDouble(), Is.EqualTo(queries / seconds).Within(1e-9).Percent);
            Assert.That(root.GetProperty("allocatedMegabytes").GetDouble(), Is.GreaterThan(0));
        });
    }

    [Test]
    public void BenchIndex_Json_FiguresAgreeWithTheTimedBatch()
    {
        var (exit, output, error) = Run("bench", "index", "--documents", "2000", "--dim", "16", "--queries", "64", "--k", "5", "--repeats", "2", "--threads", "2", "--json");

        Assert.That(exit, Is.EqualTo(0), error);
        using var json = JsonDocument.Parse(output);
        var root = json.RootElement;
        double seconds = root.GetProperty("seconds").GetDouble();
        double gflops = root.GetProperty("gflops").GetDouble();
        double peak = root.GetProperty("peakGflops").GetDouble();
        Assert.Multiple(() =>
        {
            Assert.That((root.GetProperty("documents").GetInt32(), root.GetProperty("dimension").GetInt32(), root.GetProperty("queries").GetInt32(), root.GetProperty("k").GetInt32(), root.GetProperty("threads").GetInt32()),
                Is.EqualTo((2000, 16, 64, 5, 2)));
            Assert.That(seconds, Is.GreaterThan(0));
            Assert.That(peak, Is.GreaterThan(0));
            Assert.That(root.GetProperty("queriesPerSecond").GetDouble(), Is.EqualTo(64 / seconds).Within(1e-9).Percent, "one batch of 64 queries per timed call");
            Assert.That(gflops, Is.EqualTo(2.0 * 64 * 2000 * 16 / seconds / 1e9).Within(1e-9).Percent, "a multiply and an add per query, document and dimension");
            Assert.That(root.GetProperty("fractionOfPeak").GetDouble(), Is.EqualTo(gflops / peak).Within(1e-9).Percent);
        });
    }
}
