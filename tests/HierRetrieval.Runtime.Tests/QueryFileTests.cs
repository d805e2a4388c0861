using HierRetrieval.Runtime.Scoring;
using HierRetrieval.Tests.Shared;

namespace HierRetrieval.Runtime.Tests;

public class QueryFileTests
{
    private static QueryLine[] Read(string name, string content, bool header = false)
    {
        using var folder = new TempFolder();
        return [.. QueryFile.Read(folder.Write(name, content), header)];
    }

    [Test]
    public void Csv_QuotingCases_GiveTheFirstFieldOrTheReason()
    {
        var lines = Read("queries.csv",
            "plain,rest\n" +
            "\"a, b\",rest\n" +
            "\"say \"\"hi\"\"\"\n" +
            "\"\",x\n" +
            "un\"quoted,x\n" +
            "\"closed\"trailing,x\n" +
            "\"never closed,x\n" +
            "   \n" +
            "# comment\n" +
            "last");
        Assert.That(lines, Is.EqualTo(new[]
        {
            new QueryLine(1, "plain", null),
            new QueryLine(2, "a, b", null),
            new QueryLine(3, "say \"hi\"", null),
            new QueryLine(4, null, "column 1: the query is empty"),
            new QueryLine(5, null, "column 1: a quote inside an unquoted field"),
            new QueryLine(6, null, "column 9: text after the closing quote of the first field"),
            new QueryLine(7, null, "column 1: the quoted field has no closing quote (fields spanning lines are not supported)"),
            new QueryLine(8, null, "column 1: the query is empty"),
            new QueryLine(10, "last", null),
        }));
    }

    [Test]
    public void Tsv_FirstColumn_HeaderSkippedOnlyWhenAsked_CrLfAndBomHandled()
    {
        string content = "\uFEFFquery\tnote\r\ndog.n.01\tx\r\n\t\r\nwhale.n.02\r\n";
        Assert.Multiple(() =>
        {
            Assert.That(Read("q.tsv", content, header: true), Is.EqualTo(new[]
            {
                new QueryLine(2, "dog.n.01", null),
                new QueryLine(3, null, "column 1: the query is empty"),
                new QueryLine(4, "whale.n.02", null),
            }));
            Assert.That(Read("q.tsv", content).First(), Is.EqualTo(new QueryLine(1, "query", null)));
        });
    }
}
