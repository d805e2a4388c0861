using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using HierRetrieval.Cli.Terminal;
using HierRetrieval.Data.Datasets;
using HierRetrieval.Data.IO;
using HierRetrieval.Data.Pairs;
using HierRetrieval.Evaluation;
using HierRetrieval.Evaluation.Reporting;
using HierRetrieval.Training;
using HierRetrieval.Training.Batching;
using HierRetrieval.Runs.Models;
using HierRetrieval.Training.Recipes;
using HierRetrieval.MLNet;
using Microsoft.Extensions.Logging;
using Microsoft.ML;

namespace HierRetrieval.Cli.Commands;

/// <summary><c>hierret train</c>: trains a dual encoder with a recipe, writes the model and its curve, and prints the test report.</summary>
internal static class TrainCommand
{
    /// <summary>The ML.NET model zip written into the output folder.</summary>
    public const string ModelZipFile = "model.zip";

    /// <summary>Recipe names on the command line.</summary>
    public static readonly IReadOnlyDictionary<string, TrainingRecipe> Recipes = new Dictionary<string, TrainingRecipe>
    {
        ["standard"] = TrainingRecipe.Standard,
        ["rebalanced"] = TrainingRecipe.Rebalanced,
        ["pretrain-finetune"] = TrainingRecipe.PretrainFinetune,
        ["finetune"] = TrainingRecipe.Finetune,
        ["near-then-far"] = TrainingRecipe.NearThenFar,
    };

    /// <summary>The trainer's defaults, shown as the options' defaults.</summary>
    internal static readonly DualEncoderTrainerOptions Defaults = new();

    public static Command Create()
    {
        var hierarchy = CommonOptions.Hierarchy();
        var dimension = CommonOptions.AtLeast("--dim", 1, "Embedding dimension d.", Defaults.Dimension);
        var recipe = new Option<string>("--recipe") { Description = "The training recipe.", DefaultValueFactory = _ => "pretrain-finetune" };
        recipe.AcceptOnlyFromAmong([.. Recipes.Keys]);
        var from = new Option<string?>("--from") { Description = "A trained model (folder or file) to start from; required by --recipe finetune.", HelpName = "dir|file" };
        var outFolder = new Option<string>("--out") { Description = "Folder for the model, the checkpoint and the training curve.", Required = true, HelpName = "dir" };
        var seed = CommonOptions.Seed("the pair split, initial values, batches and negatives");
        var steps = CommonOptions.AtLeast("--steps", 1, "Steps of pretraining (or of the only stage).", Defaults.Steps);
        var finetuneSteps = CommonOptions.AtLeast("--finetune-steps", 1, "Finetuning steps (pretrain-finetune).", Defaults.FinetuneSteps);
        var threshold = CommonOptions.AtLeast("--threshold", 1, "Far pairs have at least this distance: the finetuning set, and what rebalancing oversamples.", Defaults.FarThreshold);
        var batchSize = CommonOptions.AtLeast("--batch-size", 2, "Matched pairs per batch.", Defaults.BatchSize);
        var negatives = CommonOptions.AtLeast("--negatives", 0, "Random documents added to each batch as shared negatives.", Defaults.RandomNegatives);
        var neighbourNegatives = CommonOptions.AtLeast("--neighbour-negatives", 0, "Hard negatives per batch from the hierarchy near its queries (siblings, uncles).", Defaults.NeighbourNegatives);
        var learningRate = Positive("--lr", "Learning rate of pretraining (or of the only stage).", Defaults.LearningRate);
        var finetuneLearningRate = Positive("--finetune-lr", "Finetuning learning rate (default: --lr / 1000).", null);
        var temperature = Positive("--temperature", "Temperature T of pretraining (logits = T x cosine).", Defaults.Temperature);
        var finetuneTemperature = Positive("--finetune-temperature", "Temperature T of finetuning.", Defaults.FinetuneTemperature);
        var farFraction = UnitInterval("--far-fraction", "Fraction of each batch drawn from far pairs (rebalanced).", Defaults.FarFraction);
        var noMask = new Option<bool>("--no-mask") { Description = "Keep in-batch false negatives (true matches) as negatives in pretraining (or the only stage)." };
        var noFinetuneMask = new Option<bool>("--no-finetune-mask") { Description = "Keep in-batch false negatives in finetuning too." };
        var maskSource = new Option<MaskSource>("--mask-source")
        {
            Description = "Which matches masking removes: the hierarchy's (held-out pairs included), the training pairs', or what the training pairs imply by chaining (the last two keep held-out links out of training).",
            DefaultValueFactory = _ => Defaults.MaskSource,
        };
        var validateEvery = CommonOptions.AtLeast("--validate-every", 1, "Steps between validation points in pretraining.", Defaults.ValidationInterval);
        var finetuneValidateEvery = CommonOptions.AtLeast("--finetune-validate-every", 1, "Steps between validation points in finetuning.", Defaults.FinetuneValidationInterval);
        var validationQueries = CommonOptions.AtLeast("--validation-queries", 0, "Validation queries per point (0 = all).", Defaults.ValidationQueries);
        var validationCap = CommonOptions.AtLeast("--validation-cap", 0, "Validation pairs at this distance or more share one bucket (0 = no cap).", Defaults.ValidationDistanceCap ?? 0);
        var criterion = new Option<EarlyStoppingMetric>("--early-stopping") { Description = "Validation score that keeps the best finetuning checkpoint.", DefaultValueFactory = _ => Defaults.FinetuneEarlyStopping.Metric };
        var minWeight = UnitInterval("--min-weight", "Weight of min recall in the weighted criterion.", Defaults.FinetuneEarlyStopping.MinWeight);
        var topK = CommonOptions.AtLeast("--top-k", 1, $"Documents per query that the ML.NET model in {ModelZipFile} retrieves.", defaultValue: 10);
        var patience = CommonOptions.AtLeast("--patience", 0, "Validation points without improvement before a stage stops (0 = never).", Defaults.EarlyStopping.Patience);
        var validationFraction = Fraction("--validation-fraction", "Fraction of the non-self pairs held out for validation (0 = validate on all pairs).");
        var testFraction = Fraction("--test-fraction", "Fraction of the non-self pairs held out for the test report (0 = report on all pairs).");
        var nearFraction = UnitInterval("--near-fraction", "Keep this fraction of the near training pairs (0 < distance < --threshold): a study of scarce near data.", 1.0);
        var device = new Option<string>("--device") { Description = "Torch device: cpu or cuda.", DefaultValueFactory = _ => "cpu" };
        var threads = CommonOptions.Threads();
        var json = CommonOptions.Json();
        var evaluation = new EvaluationOptions(defaultBucketCap: 8);
        var command = new Command("train", "Train a dual encoder on a hierarchy with a recipe; write the model, checkpoint and training curve to --out and print the test-split report. Run the same command again to resume a stopped run.")
        {
            hierarchy, dimension, recipe, from, outFolder, seed, steps, finetuneSteps, threshold, batchSize, negatives, neighbourNegatives, learningRate, finetuneLearningRate,
            temperature, finetuneTemperature, farFraction, noMask, noFinetuneMask, maskSource, validateEvery, finetuneValidateEvery, validationQueries, validationCap, criterion, minWeight, patience,
            validationFraction, testFraction, nearFraction, topK, device, threads, json,
        };
        command.Add(evaluation.K);
        command.Add(evaluation.BucketCap);
        command.SetAction((parse, cancellationToken) => Task.FromResult(CommandOutput.Run(parse, json, output =>
        {
            var clock = Stopwatch.StartNew();
            string hierarchyName = parse.GetValue(hierarchy)!;
            var loaded = HierarchyCatalog.Load(hierarchyName);
            var stopping = new EarlyStoppingCriterion { Patience = parse.GetValue(patience) };
            var options = new DualEncoderTrainerOptions
            {
                Dimension = parse.GetValue(dimension),
                Recipe = Recipes[parse.GetValue(recipe)!],
                Seed = parse.GetValue(seed),
                Threads = parse.GetValue(threads),
                Device = parse.GetValue(device)!,
                BatchSize = parse.GetValue(batchSize),
                RandomNegatives = parse.GetValue(negatives),
                NeighbourNegatives = parse.GetValue(neighbourNegatives),
                MaskFalseNegatives = !parse.GetValue(noMask),
                FinetuneMaskFalseNegatives = !parse.GetValue(noFinetuneMask),
                MaskSource = parse.GetValue(maskSource),
                Steps = parse.GetValue(steps),
                LearningRate = parse.GetValue(learningRate)!.Value,
                Temperature = parse.GetValue(temperature)!.Value,
                FarThreshold = parse.GetValue(threshold),
                FinetuneSteps = parse.GetValue(finetuneSteps),
                FinetuneLearningRate = parse.GetValue(finetuneLearningRate),
                FinetuneTemperature = parse.GetValue(finetuneTemperature)!.Value,
                FarFraction = parse.GetValue(farFraction),
                ValidationInterval = parse.GetValue(validateEvery),
                FinetuneValidationInterval = parse.GetValue(finetuneValidateEvery),
                ValidationQueries = parse.GetValue(validationQueries),
                ValidationDistanceCap = parse.GetValue(validationCap) is int cap and > 0 ? cap : null,
                EarlyStopping = stopping,
                FinetuneEarlyStopping = stopping with { Metric = parse.GetValue(criterion), MinWeight = parse.GetValue(minWeight) },
            };
            var splitOptions = new PairSplitOptions
            {
                Seed = parse.GetValue(seed),
                ValidationFraction = parse.GetValue(validationFraction),
                TestFraction = parse.GetValue(testFraction),
            };
            var manifest = new TrainingManifest(hierarchyName, options, splitOptions) { NearFraction = parse.GetValue(nearFraction) };
            var split = manifest.SplitPairs(loaded.Closure);

            var start = parse.GetValue(from) is { } fromPath ? TrainedModel.Load(fromPath).EmbeddingsFor(loaded) : null;
            if (options.Recipe == TrainingRecipe.Finetune && start is null)
            {
                throw new UserInputException("--recipe finetune needs --from <model>: the pretrained model to finetune");
            }

            if (start is not null && start.Queries.Dimension != options.Dimension)
            {
                throw new UserInputException($"--from holds d={start.Queries.Dimension} embeddings but --dim is {options.Dimension}");
            }

            string folder = parse.GetValue(outFolder)!;
            Directory.CreateDirectory(folder);
            TrainedModel model(Retrieval.NodeEmbeddings embeddings) => new(loaded.Ids, embeddings, manifest);
            TrainingResult result;
            using (var display = new TrainingDisplay(output.Error, output.Interactive && !output.Json, LogLevel.Information))
            using (var logging = LoggerFactory.Create(builder => builder.AddProvider(display).SetMinimumLevel(LogLevel.Information)))
            {
                var trainer = new DualEncoderTrainer(options, logging.CreateLogger<DualEncoderTrainer>());
                trainer.StageCompleted += (_, e) =>
                {
                    if (!e.IsLast)
                    {
                        model(e.Embeddings).Save(Path.Combine(folder, StageModelFile(e.Stage.Name)));
                    }
                };
                try
                {
                    result = trainer.Train(loaded.Closure, split, Path.Combine(folder, "checkpoint.bin"), display, cancellationToken, start);
                }
                catch (OperationCanceledException)
                {
                    output.Error.WriteLine($"stopped: the checkpoint in {folder} holds the run so far; run the same command to resume");
                    return 130;
                }
                catch (TrainingDivergedException e)
                {
                    output.Error.WriteLine($"error: {e.Message}");
                    return 1;
                }
            }

            model(result.Embeddings).Save(Path.Combine(folder, TrainedModel.FileName));
            var mlContext = new MLContext(options.Seed);
            using (var fitted = DualEncoderTransformer.Create(mlContext, loaded.Ids, result.Embeddings, new DualEncoderOptions { TopK = Math.Min(parse.GetValue(topK), loaded.Count) }, result))
            {
                fitted.Save(mlContext, Path.Combine(folder, ModelZipFile));
            }

            result.Curve.WriteCsv(Path.Combine(folder, "training-curve.csv"));
            string title = $"{hierarchyName}, d={options.Dimension}, {parse.GetValue(recipe)}";
            AtomicFile.WriteText(Path.Combine(folder, "training-curve.svg"), w => w.Write(result.Curve.RenderSvg(title)));
            var evaluator = new HierarchyEvaluator(evaluation.EvaluatorOptions(parse, options.Threads));
            var metrics = evaluator.Evaluate(loaded.Closure, result.Embeddings, split.Test);
            AtomicFile.WriteText(Path.Combine(folder, "test-metrics.json"), w => w.Write(MetricsReport.ToJson(metrics)));
            var earlierStages = result.Stages.SkipLast(1).Select(stage =>
            {
                var stageMetrics = evaluator.Evaluate(loaded.Closure, TrainedModel.Load(Path.Combine(folder, StageModelFile(stage.Name))).Embeddings, split.Test);
                AtomicFile.WriteText(Path.Combine(folder, $"test-metrics.{stage.Name}.json"), w => w.Write(MetricsReport.ToJson(stageMetrics)));
                return (stage.Name, Metrics: stageMetrics);
            }).ToList();
            if (output.Json)
            {
                output.Out.WriteLine(MetricsReport.ToJson(metrics));
                return 0;
            }

            output.Out.WriteLine($"{hierarchyName}: {loaded.Count:N0} nodes, d={options.Dimension}, {parse.GetValue(recipe)}, seed {options.Seed}; {(splitOptions.TestFraction == 0 ? "all pairs" : "test split")} ({split.Test.Count:N0} pairs)");
            foreach (var stage in result.Stages)
            {
                output.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {stage.Name}: {stage.StepsRun:N0} steps, kept step {stage.BestStep:N0} (validation score {stage.BestScore:F4})"));
            }

            foreach (var (name, stageMetrics) in earlierStages)
            {
                output.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"  after {name} (the standard recipe's model): overall {stageMetrics.Overall:P1}, min {stageMetrics.Min:P1} at distance {stageMetrics.MinDistance} (test-metrics.{name}.json)"));
            }

            MetricsReport.WriteTable(metrics, output.Out);
            output.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"({clock.Elapsed.TotalSeconds:F1} s; training {result.TrainingTime.TotalSeconds:F1} s, {result.PairsPerSecond:N0} pairs/s; model in {folder})"));
            return 0;
        })));
        return command;
    }

    /// <summary>The model file written when a stage ends.</summary>
    private static string StageModelFile(string stage) => $"embeddings.{stage}.bin";

    /// <summary>A number between 0 and 1 inclusive.</summary>
    private static Option<double> UnitInterval(string name, string description, double defaultValue) => CommonOptions.Require(
        new Option<double>(name) { Description = description, DefaultValueFactory = _ => defaultValue },
        v => v is >= 0 and <= 1,
        v => $"{name} must be between 0 and 1, got {v}");

    private static Option<double> Fraction(string name, string description) => CommonOptions.Require(
        new Option<double>(name) { Description = description, DefaultValueFactory = _ => 0.05 },
        v => v is >= 0 and < 0.5,
        v => $"{name} must be at least 0 and below 0.5, got {v}");

    private static Option<double?> Positive(string name, string description, double? defaultValue)
    {
        var option = new Option<double?>(name) { Description = description };
        if (defaultValue is double value)
        {
            option.DefaultValueFactory = _ => value;
        }

        return CommonOptions.Require(option, v => v is null or > 0, v => $"{name} must be positive, got {v}");
    }
}
