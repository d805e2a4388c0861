using HierRetrieval.Evaluation.Reporting;

namespace HierRetrieval.Studies.Reporting;

/// <summary>One line of a recall-by-distance chart.</summary>
/// <param name="Name">The legend.</param>
/// <param name="RecallByDistance">Recall (0..1) by distance bucket.</param>
/// <param name="Dashed">Drawn dashed (e.g. numbers quoted from a paper).</param>
public sealed record RecallSeries(string Name, IReadOnlyDictionary<int, double> RecallByDistance, bool Dashed = false);

/// <summary>Recall@|S(q)| against the distance of the pair, one line per model, as in the paper's figure.</summary>
public static class RecallByDistanceChart
{
    /// <summary>An SVG chart of <paramref name="series"/>.</summary>
    public static string Render(string title, IReadOnlyList<RecallSeries> series)
    {
        var chart = new SvgChart(title, "distance of the (node, ancestor) pair", "recall@|S(q)|");
        foreach (var line in series)
        {
            chart.Add(line.Name, [.. line.RecallByDistance.OrderBy(p => p.Key).Select(p => ((double)p.Key, p.Value))], line.Dashed);
        }

        return chart.Render(760, 420);
    }
}
