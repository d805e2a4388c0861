using System.Text.Json;
using System.Text.Json.Nodes;
using HierRetrieval.Data.IO;
using HierRetrieval.Evaluation.Reporting;
using HierRetrieval.Retrieval;
using HierRetrieval.Runs.Models;
using HierRetrieval.Runtime.Zips;
using Microsoft.ML;

namespace HierRetrieval.Runs.Outputs;

/// <summary>
/// A training run's output folder: the checkpoint while it runs, then the model (<see cref="Embeddings"/> and, for
/// lookup tables, the ML.NET <see cref="ModelZip"/>), each earlier stage's model, the training curve, the test
/// metrics, and <see cref="Manifest"/>, which records the settings, the split, the stages and the files. Every file
/// is written atomically.
/// </summary>
public sealed class RunFolder
{
    /// <summary>The ML.NET model zip (lookup-table runs): what <c>hierret score</c> and <c>mlContext.Model.Load</c> read.</summary>
    public const string ModelZip = "model.zip";

    /// <summary>The trained model: node ids, both towers' embeddings and the training manifest.</summary>
    public const string Embeddings = TrainedModel.FileName;

    /// <summary>The resumable checkpoint.</summary>
    public const string Checkpoint = "checkpoint.bin";

    /// <summary>The validation points as CSV.</summary>
    public const string CurveCsv = "training-curve.csv";

    /// <summary>The validation points as an SVG chart.</summary>
    public const string CurveSvg = "training-curve.svg";

    /// <summary>Test metrics of the final model.</summary>
    public const string TestMetrics = "test-metrics.json";

    /// <summary>The run's manifest: settings, split, stages, results and files.</summary>
    public const string Manifest = "run.json";

    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true, NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals };

    /// <summary>Creates the folder if needed.</summary>
    public RunFolder(string path)
    {
        Path = path;
        Directory.CreateDirectory(path);
    }

    /// <summary>The folder.</summary>
    public string Path { get; }

    /// <summary>The model file of stage <paramref name="stage"/> (written for every stage but the last).</summary>
    public static string StageEmbeddings(string stage) => $"embeddings.{stage}.bin";

    /// <summary>The test metrics of stage <paramref name="stage"/>'s model.</summary>
    public static string StageTestMetrics(string stage) => $"test-metrics.{stage}.json";

    /// <summary>The full path of <paramref name="name"/> in the folder.</summary>
    public string File(string name) => System.IO.Path.Combine(Path, name);

    /// <summary>Saves a finished stage's model, so that it survives a crash in a later stage.</summary>
    public void SaveStage(string stage, TrainedModel model) => model.Save(File(StageEmbeddings(stage)));

    /// <summary>The embeddings saved for <paramref name="stage"/> by this or an earlier call, or null.</summary>
    public NodeEmbeddings? LoadStage(string stage) =>
        System.IO.File.Exists(File(StageEmbeddings(stage))) ? TrainedModel.Load(File(StageEmbeddings(stage))).Embeddings : null;

    /// <summary>Writes the outputs of a finished run.</summary>
    /// <param name="model">The final model.</param>
    /// <param name="result">What the run produced.</param>
    /// <param name="topK">Documents per query of the model zip; 0 writes no zip (towers that are not lookup tables).</param>
    /// <param name="title">The curve chart's title.</param>
    public void Write(TrainedModel model, TrainingRunResult result, int topK, string title)
    {
        var files = new List<string> { Embeddings };
        model.Save(File(Embeddings));
        if (topK > 0)
        {
            var mlContext = new MLContext(model.Manifest.Options.Seed);
            var columns = new RetrievalColumns();
            var (chain, _) = LookupRetrievalChain.FromEmbeddings(mlContext, model.Ids, model.Embeddings, topK, columns);
            RetrievalModelZip.Save(mlContext, chain, columns.Query, File(ModelZip));
            files.Add(ModelZip);
        }

        result.Training.Curve.WriteCsv(File(CurveCsv));
        AtomicFile.WriteText(File(CurveSvg), w => w.Write(TrainingCurveChart.Render(result.Training.Curve, title)));
        files.AddRange([CurveCsv, CurveSvg]);
        if (result.Test is { } test)
        {
            AtomicFile.WriteText(File(TestMetrics), w => w.Write(MetricsReport.ToJson(test)));
            files.Add(TestMetrics);
        }

        foreach (var stage in result.EarlierStages)
        {
            files.Add(StageEmbeddings(stage.Stage.Name));
            if (stage.Test is { } stageTest)
            {
                AtomicFile.WriteText(File(StageTestMetrics(stage.Stage.Name)), w => w.Write(MetricsReport.ToJson(stageTest)));
                files.Add(StageTestMetrics(stage.Stage.Name));
            }
        }

        var document = new JsonObject
        {
            ["manifest"] = JsonNode.Parse(model.Manifest.ToJson()),
            ["stages"] = JsonSerializer.SerializeToNode(result.Training.Stages, Indented),
            ["test"] = result.Test is null ? null : JsonSerializer.SerializeToNode(MetricsReport.ToDocument(result.Test), Indented),
            ["trainingSeconds"] = result.Training.TrainingTime.TotalSeconds,
            ["stageSeconds"] = JsonSerializer.SerializeToNode(result.Training.StageSeconds),
            ["pairsPerSecond"] = result.Training.PairsPerSecond,
            ["files"] = JsonSerializer.SerializeToNode(files.Append(Checkpoint).Order(StringComparer.Ordinal).ToArray()),
        };
        AtomicFile.WriteText(File(Manifest), w => w.Write(document.ToJsonString(Indented)));
    }
}
