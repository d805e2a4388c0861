using System.Globalization;
using HierRetrieval.Evaluation.Reporting;
using HierRetrieval.Training.Reporting;

namespace HierRetrieval.Runs.Outputs;

/// <summary>A training curve as an SVG chart: validation recall by distance (one line each, plus overall dashed) against the step.</summary>
public static class TrainingCurveChart
{
    /// <summary>The chart of <paramref name="curve"/>; the title names where each later stage starts.</summary>
    public static string Render(TrainingCurve curve, string title)
    {
        var points = curve.Points;
        var chart = new SvgChart(title + StageMarks(points), "step", "validation recall@|S(q)|");
        foreach (int distance in curve.Distances())
        {
            chart.Add($"distance {distance}", [.. points.Where(p => p.RecallByDistance.ContainsKey(distance)).Select(p => ((double)p.Step, p.RecallByDistance[distance]))]);
        }

        chart.Add("overall", [.. points.Select(p => ((double)p.Step, p.Overall))], dashed: true);
        return chart.Render(760, 420);
    }

    private static string StageMarks(IReadOnlyList<TrainingCurvePoint> points)
    {
        var starts = points.Where(p => p.StageStep == 0 && p.Step > 0).Select(p => string.Create(CultureInfo.InvariantCulture, $"{p.Stage} from step {p.Step}")).ToList();
        return starts.Count == 0 ? "" : $" ({string.Join(", ", starts)})";
    }
}
