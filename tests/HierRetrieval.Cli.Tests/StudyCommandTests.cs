using HierRetrieval.Tests.Shared;
using static HierRetrieval.Cli.Tests.Hierret;

namespace HierRetrieval.Cli.Tests;

public class StudyCommandTests
{
    [Test]
    public void Chart_DrawsAMetricsFileAndQuotedNumbers()
    {
        using var folder = new TempFolder();
        string svg = Path.Combine(folder.Path, "chart.svg");
        var (exit, output, error) = Run("study", "chart", "--metrics", "ours, d=64=" + Repository.Fixture("saved-models/lookup/lookup-eval.json"),
            "--reference", "paper=1:93.9,2:86.9,4:60.2,6:36.1,8:19.4", "--title", "d=64", "--out", svg);
        string text = File.ReadAllText(svg);
        Assert.Multiple(() =>
        {
            Assert.That(exit, Is.EqualTo(0), error);
            Assert.That(output, Is.EqualTo("wrote 2 lines to " + svg + Environment.NewLine));
            Assert.That(text, Does.StartWith("<svg").And.Contain(">ours, d=64<").And.Contain(">paper<").And.Contain("stroke-dasharray"));
        });
    }

    [TestCase("--reference", "paper=1:93.9,two:86.9", "error: --reference: 'two:86.9' is not <distance>:<recall %>")]
    [TestCase("--metrics", "nolegend", "error: --metrics: expected <legend>=<value>, got 'nolegend'")]
    public void Chart_BadSeries_IsNamed(string option, string value, string message)
    {
        using var folder = new TempFolder();
        string[] args = option == "--metrics"
            ? ["study", "chart", "--metrics", value, "--out", Path.Combine(folder.Path, "c.svg")]
            : ["study", "chart", "--metrics", "ours=" + Repository.Fixture("saved-models/lookup/lookup-eval.json"), option, value, "--out", Path.Combine(folder.Path, "c.svg")];
        var (exit, _, error) = Run(args);
        Assert.That((exit, error), Is.EqualTo((1, message + Environment.NewLine)));
    }
}
