using System.Text.Json;
using HierRetrieval.Tests.Shared;
using static HierRetrieval.Cli.Tests.Hierret;

namespace HierRetrieval.Cli.Tests;

/// <summary>The HyperLex path on a clean clone: a synthetic file in HyperLex's format (tests/fixtures/hyperlex) and a committed model.</summary>
public class HyperLexCommandTests
{
    [Test]
    public void HyperLex_SyntheticNounsFile_GivesTheSpearmanOfTheCommittedModel()
    {
        var (exit, output, error) = Run("hyperlex", "--model", Repository.Fixture("saved-models/lookup"), "--file", Repository.Fixture("hyperlex/hyperlex-nouns-synthetic.txt"), "--json");
        Assert.That(exit, Is.EqualTo(0), error);
        using var json = JsonDocument.Parse(output);
        Assert.Multiple(() =>
        {
            Assert.That(json.RootElement.GetProperty("pairs").GetInt32(), Is.EqualTo(33), "the noun rows; the verb row is left out");
            Assert.That(json.RootElement.GetProperty("covered").GetInt32(), Is.EqualTo(33));
            Assert.That(json.RootElement.GetProperty("spearman").GetDouble(), Is.EqualTo(0.4896218662700831).Within(1e-12));
        });
    }

    [Test]
    public void HyperLex_HeaderOnlyFile_IsAnErrorNamingIt()
    {
        using var folder = new TempFolder();
        string path = folder.Write("hyperlex.txt", "WORD1 WORD2 POS TYPE AVG_SCORE\n");
        var (exit, _, error) = Run("hyperlex", "--model", Repository.Fixture("saved-models/lookup"), "--file", path);
        Assert.That((exit, error), Is.EqualTo((1, $"error: {path}: no noun pairs (POS N) in 1 lines: the file is empty, holds only a header, or is not HyperLex" + Environment.NewLine)));
    }
}
