using System.Globalization;
using System.Text;
using HierRetrieval.Evaluation.Reporting;

namespace HierRetrieval.Construction.Reporting;

/// <summary>The Markdown table and SVG plot of a <see cref="ConstructionStudy"/>.</summary>
public static class StudyReport
{
    /// <summary>Paper's fitted slope of log d against log H (W = 2).</summary>
    public const double PaperHeightSlope = 2.29;

    /// <summary>Paper's fitted slope of d against log W (H = 4).</summary>
    public const double PaperBranchingSlope = 16.5;

    /// <summary>A Markdown section with both tables, the fits and the command that produced them.</summary>
    public static string Markdown(ConstructionStudy study, string command, TimeSpan elapsed)
    {
        var md = new StringBuilder();
        var o = study.Options;
        md.AppendLine(CultureInfo.InvariantCulture, $"Smallest dimension d at which the Theorem 3.1 construction reaches overall recall@|S(q)| >= {o.TargetRecall:P0} on perfect trees (mean of {o.Seeds} seeds; all pairs, self pairs included).");
        md.AppendLine();
        md.AppendLine(CultureInfo.InvariantCulture, $"Command: `{command}` ({elapsed.TotalSeconds:F0} s on this machine).");
        md.AppendLine();
        Table(md, "Varying H", study.ByHeight);
        Table(md, "Varying W", study.ByBranching);
        md.AppendLine("| fit | slope | intercept | R² | paper's slope |");
        md.AppendLine("|---|---|---|---|---|");
        md.AppendLine(CultureInfo.InvariantCulture, $"| log d = a + b·log H (W = {study.ByHeight[0].Branching}) | {study.HeightFit.Slope:F2} | {study.HeightFit.Intercept:F2} | {study.HeightFit.RSquared:F3} | {PaperHeightSlope} (theory 2) |");
        md.AppendLine(CultureInfo.InvariantCulture, $"| d = a + b·ln W (H = {study.ByBranching[0].Height}) | {study.BranchingFit.Slope:F2} | {study.BranchingFit.Intercept:F2} | {study.BranchingFit.RSquared:F3} | {PaperBranchingSlope} (theory 16) |");
        return md.ToString();
    }

    /// <summary>Two panels: d against H (log-log) and d against W (log W axis), each with its fitted line.</summary>
    public static string Svg(ConstructionStudy study)
    {
        var byHeight = study.ByHeight.Select(p => ((double)p.Height, (double)p.Dimension)).ToList();
        var heightLine = study.ByHeight.Select(p => ((double)p.Height, Math.Exp(study.HeightFit.Intercept + (study.HeightFit.Slope * Math.Log(p.Height))))).ToList();
        var byBranching = study.ByBranching.Select(p => ((double)p.Branching, (double)p.Dimension)).ToList();
        var branchingLine = study.ByBranching.Select(p => ((double)p.Branching, study.BranchingFit.Intercept + (study.BranchingFit.Slope * Math.Log(p.Branching)))).ToList();
        var left = new SvgChart($"W = {study.ByHeight[0].Branching}: d needed vs H", "height H", "smallest d", logX: true, logY: true)
            .Add("construction", byHeight)
            .Add(string.Create(CultureInfo.InvariantCulture, $"fit: slope {study.HeightFit.Slope:F2}"), heightLine, dashed: true);
        var right = new SvgChart($"H = {study.ByBranching[0].Height}: d needed vs W", "branching W (log axis)", "smallest d", logX: true)
            .Add("construction", byBranching)
            .Add(string.Create(CultureInfo.InvariantCulture, $"fit: {study.BranchingFit.Slope:F1} per ln W"), branchingLine, dashed: true);
        return SvgChart.Combine(520, 380, left, right);
    }

    private static void Table(StringBuilder md, string title, IReadOnlyList<StudyPoint> points)
    {
        md.AppendLine(CultureInfo.InvariantCulture, $"{title}:");
        md.AppendLine();
        md.AppendLine("| W | H | nodes | smallest d | recall at d |");
        md.AppendLine("|---|---|---|---|---|");
        foreach (var p in points)
        {
            md.AppendLine(CultureInfo.InvariantCulture, $"| {p.Branching} | {p.Height} | {p.Nodes:N0} | {p.Dimension} | {p.Recall:P1} |");
        }

        md.AppendLine();
    }
}
