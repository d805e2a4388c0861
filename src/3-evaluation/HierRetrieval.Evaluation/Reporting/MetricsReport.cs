using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace HierRetrieval.Evaluation.Reporting;

/// <summary>
/// The stable JSON and text forms of <see cref="HierarchyRetrievalMetrics"/>. JSON fields: <c>metric</c>,
/// <c>queries</c>, <c>pairs</c>, <c>overall</c>, <c>min</c>, <c>minDistance</c>, <c>byDistance</c> (distance as a
/// string to recall), <c>pairsByDistance</c>, <c>k</c>, <c>recallAtK</c>, <c>map</c>, <c>meanRank</c>.
/// </summary>
public static class MetricsReport
{
    private static readonly JsonSerializerOptions Options = new() { WriteIndented = true };

    /// <summary>The JSON document of the metrics.</summary>
    public static string ToJson(HierarchyRetrievalMetrics metrics) => JsonSerializer.Serialize(ToDocument(metrics), Options);

    /// <summary>The metrics as a serialisable object, for embedding in a larger JSON document.</summary>
    public static MetricsDocument ToDocument(HierarchyRetrievalMetrics metrics) => new(
        HierarchyRetrievalMetrics.PrimaryMetricName,
        metrics.Queries,
        metrics.Pairs,
        metrics.Overall,
        metrics.Min,
        metrics.MinDistance,
        metrics.RecallByDistance.ToDictionary(kv => kv.Key.ToString(CultureInfo.InvariantCulture), kv => kv.Value),
        metrics.PairsByDistance.ToDictionary(kv => kv.Key.ToString(CultureInfo.InvariantCulture), kv => kv.Value),
        metrics.K,
        metrics.RecallAtK,
        metrics.MeanAveragePrecision,
        metrics.MeanRank);

    /// <summary>Reads a JSON document written by <see cref="ToJson"/> (e.g. a run's test-metrics.json).</summary>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">The file is not such a document; the message names it.</exception>
    public static MetricsDocument Read(string path)
    {
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"{path}: no such metrics file", path);
        }

        try
        {
            return JsonSerializer.Deserialize<MetricsDocument>(File.ReadAllText(path)) is { ByDistance: not null } document
                ? document
                : throw new InvalidDataException($"{path}: not a metrics document (no byDistance)");
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path}: not a metrics document ({e.Message})", e);
        }
    }

    /// <summary>A plain-text table: one row per distance bucket, then the summary lines.</summary>
    public static void WriteTable(HierarchyRetrievalMetrics metrics, TextWriter writer)
    {
        writer.WriteLine($"{"distance",8}  {"pairs",10}  {HierarchyRetrievalMetrics.PrimaryMetricName,14}");
        foreach (var (distance, recall) in metrics.RecallByDistance)
        {
            writer.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{distance,8}  {metrics.PairsByDistance[distance],10:N0}  {recall,14:P1}"));
        }

        writer.WriteLine(string.Create(CultureInfo.InvariantCulture, $"overall  {metrics.Pairs,10:N0}  {metrics.Overall,14:P1}   ({metrics.Queries:N0} queries)"));
        writer.WriteLine(string.Create(CultureInfo.InvariantCulture, $"min {metrics.Min:P1} at distance {metrics.MinDistance}; recall@{metrics.K} {metrics.RecallAtK:P1}; MAP {metrics.MeanAveragePrecision:F4}; mean rank {metrics.MeanRank:F2}"));
    }

    /// <summary>The JSON shape of the metrics.</summary>
    public sealed record MetricsDocument(
        [property: JsonPropertyName("metric")] string Metric,
        [property: JsonPropertyName("queries")] int Queries,
        [property: JsonPropertyName("pairs")] long Pairs,
        [property: JsonPropertyName("overall")] double Overall,
        [property: JsonPropertyName("min")] double Min,
        [property: JsonPropertyName("minDistance")] int MinDistance,
        [property: JsonPropertyName("byDistance")] IReadOnlyDictionary<string, double> ByDistance,
        [property: JsonPropertyName("pairsByDistance")] IReadOnlyDictionary<string, long> PairsByDistance,
        [property: JsonPropertyName("k")] int K,
        [property: JsonPropertyName("recallAtK")] double RecallAtK,
        [property: JsonPropertyName("map")] double Map,
        [property: JsonPropertyName("meanRank")] double MeanRank);
}
