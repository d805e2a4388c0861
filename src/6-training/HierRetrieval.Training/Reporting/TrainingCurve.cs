using System.Globalization;
using HierRetrieval.Data.IO;

namespace HierRetrieval.Training.Reporting;

/// <summary>One validation point of a training run.</summary>
/// <param name="Step">Steps run so far over all stages.</param>
/// <param name="Stage">The stage's name.</param>
/// <param name="StageStep">Steps run so far in this stage.</param>
/// <param name="Loss">Mean training loss since the previous point (NaN at a stage's starting point).</param>
/// <param name="Overall">Validation recall@|S(q)| over all pairs.</param>
/// <param name="Min">Lowest validation recall over distance buckets.</param>
/// <param name="RecallByDistance">Validation recall by distance.</param>
public sealed record TrainingCurvePoint(
    long Step, string Stage, long StageStep, double Loss, double Overall, double Min, IReadOnlyDictionary<int, double> RecallByDistance);

/// <summary>The validation points of a run, written as CSV (the training run also draws them as an SVG chart).</summary>
public sealed class TrainingCurve
{
    private readonly List<TrainingCurvePoint> _points = [];

    /// <summary>The points in order.</summary>
    public IReadOnlyList<TrainingCurvePoint> Points => _points;

    /// <summary>Appends a point.</summary>
    public void Add(TrainingCurvePoint point) => _points.Add(point);

    /// <summary>Removes every point.</summary>
    public void Clear() => _points.Clear();

    /// <summary>
    /// Writes the CSV atomically: step, stage, stage_step, loss, overall, min, then recall_d0, recall_d1, ... for
    /// every distance seen (empty where a point has no pairs at that distance).
    /// </summary>
    public void WriteCsv(string path)
    {
        int[] distances = Distances();
        AtomicFile.WriteText(path, writer =>
        {
            writer.WriteLine(string.Join(',', ["step", "stage", "stage_step", "loss", "overall", "min", .. distances.Select(d => $"recall_d{d}")]));
            foreach (var p in _points)
            {
                var cells = new List<string> { Format(p.Step), p.Stage, Format(p.StageStep), Format(p.Loss), Format(p.Overall), Format(p.Min) };
                cells.AddRange(distances.Select(d => p.RecallByDistance.TryGetValue(d, out double r) ? Format(r) : ""));
                writer.WriteLine(string.Join(',', cells));
            }
        });
    }

    /// <summary>The distances seen at any point, ascending.</summary>
    public int[] Distances() => [.. _points.SelectMany(p => p.RecallByDistance.Keys).Distinct().Order()];

    private static string Format(double value) => double.IsNaN(value) ? "" : value.ToString("0.######", CultureInfo.InvariantCulture);
}
