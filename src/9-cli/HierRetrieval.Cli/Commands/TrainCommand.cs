using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using HierRetrieval.Cli.Terminal;
using HierRetrieval.Data.Datasets;
using HierRetrieval.Data.Pairs;
using HierRetrieval.Evaluation.Reporting;
using HierRetrieval.Runs;
using HierRetrieval.Runs.Models;
using HierRetrieval.Runs.Outputs;
using HierRetrieval.Runs.Splits;
using HierRetrieval.Runs.Validation;
using HierRetrieval.Training;
using HierRetrieval.Training.Batching;
using HierRetrieval.Training.Recipes;
using Microsoft.Extensions.Logging;

namespace HierRetrieval.Cli.Commands;

/// <summary><c>hierret train</c>: parses the options of a training run, runs it, and prints the test report.</summary>
internal static class TrainCommand
{
    private static readonly DualEncoderTrainerOptions Defaults = new();
    private static readonly StageOptions PretrainDefaults = TrainingRecipes.Pretrain;
    private static readonly StageOptions FinetuneDefaults = TrainingRecipes.Finetune;
    private static readonly ValidationOptions ValidationDefaults = new();

    public static Command Create()
    {
        var hierarchy = CommonOptions.Hierarchy();
        var dimension = CommonOptions.AtLeast("--dim", 1, "Embedding dimension d.", Defaults.Dimension);
        var recipe = new Option<string>("--recipe") { Description = "The training recipe.", DefaultValueFactory = _ => TrainingRecipes.NameOf(TrainingRecipe.PretrainFinetune) };
        recipe.AcceptOnlyFromAmong([.. TrainingRecipes.Names.Keys]);
        var protocol = new Option<string?>("--protocol")
        {
            Description = "A reporting protocol (docs/results-wordnet.md) whose settings become the defaults of --validation-fraction, --test-fraction, --no-mask, --finetune-lr, --early-stopping, --mask-source and --validation-min-from; options given explicitly still win. Recorded in run.json.",
            HelpName = string.Join('|', TrainingProtocols.Names.Keys),
        };
        protocol.AcceptOnlyFromAmong([.. TrainingProtocols.Names.Keys]);
        var from = new Option<string?>("--from") { Description = "A trained model (folder or file) to start from; required by --recipe finetune.", HelpName = "dir|file" };
        var outFolder = new Option<string>("--out") { Description = $"Folder for the model ({RunFolder.ModelZip}, {RunFolder.Embeddings}), the checkpoint, the training curve, the test metrics and {RunFolder.Manifest}.", Required = true, HelpName = "dir" };
        var seed = CommonOptions.Seed("the pair split, initial values, batches and negatives");
        var steps = CommonOptions.AtLeast("--steps", 1, "Steps of pretraining (or of the only stage).", PretrainDefaults.Steps);
        var finetuneSteps = CommonOptions.AtLeast("--finetune-steps", 1, "Finetuning steps (pretrain-finetune).", FinetuneDefaults.Steps);
        var threshold = CommonOptions.AtLeast("--threshold", 1, "Far pairs have at least this distance: the finetuning set, and what rebalancing oversamples.", Defaults.FarThreshold);
        var batchSize = CommonOptions.AtLeast("--batch-size", 2, "Matched pairs per batch.", Defaults.BatchSize);
        var negatives = CommonOptions.AtLeast("--negatives", 0, "Random documents added to each batch as shared negatives.", Defaults.RandomNegatives);
        var neighbourNegatives = CommonOptions.AtLeast("--neighbour-negatives", 0, "Hard negatives per batch from the hierarchy near its queries (siblings, uncles).", Defaults.NeighbourNegatives);
        var learningRate = CommonOptions.Positive("--lr", "Learning rate of pretraining (or of the only stage).", PretrainDefaults.LearningRate);
        var finetuneLearningRate = CommonOptions.Positive("--finetune-lr", "Finetuning learning rate (default: --lr / 1000).", null);
        var temperature = CommonOptions.Positive("--temperature", "Temperature T of pretraining (logits = T x cosine).", PretrainDefaults.Temperature);
        var finetuneTemperature = CommonOptions.Positive("--finetune-temperature", "Temperature T of finetuning.", FinetuneDefaults.Temperature);
        var farFraction = UnitInterval("--far-fraction", "Fraction of each batch drawn from far pairs (rebalanced).", PretrainDefaults.FarFraction);
        var noMask = new Option<bool>("--no-mask") { Description = "Keep in-batch false negatives (true matches) as negatives in pretraining (or the only stage)." };
        var noFinetuneMask = new Option<bool>("--no-finetune-mask") { Description = "Keep in-batch false negatives in finetuning too." };
        var maskSource = new Option<MaskSource>("--mask-source")
        {
            Description = "Which matches masking removes: the hierarchy's (held-out pairs included), the training pairs', or what the training pairs imply by chaining (the last two keep held-out links out of training).",
            DefaultValueFactory = _ => Defaults.MaskSource,
        };
        var validateEvery = CommonOptions.AtLeast("--validate-every", 1, "Steps between validation points in pretraining.", PretrainDefaults.ValidationInterval);
        var finetuneValidateEvery = CommonOptions.AtLeast("--finetune-validate-every", 1, "Steps between validation points in finetuning.", FinetuneDefaults.ValidationInterval);
        var validationQueries = CommonOptions.AtLeast("--validation-queries", 0, "Validation queries per point (0 = all).", ValidationDefaults.Queries);
        var validationCap = CommonOptions.AtLeast("--validation-cap", 0, "Validation pairs at this distance or more share one bucket (0 = no cap).", ValidationDefaults.DistanceCap ?? 0);
        var validationMinFrom = CommonOptions.AtLeast("--validation-min-from", 0, "Min recall in validation counts the distances from this one (0: the self pair too; 1: D1.. as the paper's Min).", ValidationDefaults.MinFromDistance);
        var criterion = new Option<EarlyStoppingMetric>("--early-stopping") { Description = "Validation score that keeps the best finetuning checkpoint.", DefaultValueFactory = _ => FinetuneDefaults.EarlyStopping.Metric };
        var minWeight = UnitInterval("--min-weight", "Weight of min recall in the weighted criterion.", FinetuneDefaults.EarlyStopping.MinWeight);
        var topK = CommonOptions.AtLeast("--top-k", 1, $"Documents per query that the ML.NET model in {RunFolder.ModelZip} retrieves.", defaultValue: 10);
        var patience = CommonOptions.AtLeast("--patience", 0, "Validation points without improvement before a stage stops (0 = never).", PretrainDefaults.EarlyStopping.Patience);
        var validationFraction = Fraction("--validation-fraction", "Fraction of the non-self pairs held out for validation (0 = validate on all pairs).");
        var testFraction = Fraction("--test-fraction", "Fraction of the non-self pairs held out for the test report (0 = report on all pairs).");
        var nearFraction = UnitInterval("--near-fraction", "Keep this fraction of the near training pairs (0 < distance < --threshold): a study of scarce near data.", 1.0);
        var device = new Option<string>("--device") { Description = "Torch device: cpu or cuda.", DefaultValueFactory = _ => Defaults.Device };
        var threads = CommonOptions.Threads();
        var json = CommonOptions.Json();
        var evaluation = new EvaluationOptions(defaultBucketCap: 8);
        var command = new Command("train", "Train a dual encoder on a hierarchy with a recipe; write the model, checkpoint, training curve and manifest to --out and print the test-split report. Run the same command again to resume a stopped run.")
        {
            hierarchy, dimension, recipe, protocol, from, outFolder, seed, steps, finetuneSteps, threshold, batchSize, negatives, neighbourNegatives, learningRate, finetuneLearningRate,
            temperature, finetuneTemperature, farFraction, noMask, noFinetuneMask, maskSource, validateEvery, finetuneValidateEvery, validationQueries, validationCap, validationMinFrom, criterion, minWeight, patience,
            validationFraction, testFraction, nearFraction, topK, device, threads, json,
        };
        command.Add(evaluation.K);
        command.Add(evaluation.BucketCap);
        command.SetAction((parse, cancellationToken) => Task.FromResult(CommandOutput.Run(parse, json, output =>
        {
            var clock = Stopwatch.StartNew();
            string hierarchyName = parse.GetValue(hierarchy)!, recipeName = parse.GetValue(recipe)!;
            string? protocolName = parse.GetValue(protocol);
            var preset = protocolName is null ? null : TrainingProtocols.SettingsOf(TrainingProtocols.Names[protocolName]);

            // An option given on the command line wins; otherwise the protocol's setting, otherwise the option's default.
            T Setting<T>(Option<T> option, Func<ProtocolSettings, T> fromProtocol) =>
                preset is null || parse.GetResult(option) is { Implicit: false } ? parse.GetValue(option)! : fromProtocol(preset);
            var loaded = HierarchyCatalog.Load(hierarchyName);
            var stopping = new EarlyStoppingCriterion { Patience = parse.GetValue(patience) };
            double lr = parse.GetValue(learningRate)!.Value;
            var first = PretrainDefaults with
            {
                Steps = parse.GetValue(steps),
                LearningRate = lr,
                Temperature = parse.GetValue(temperature)!.Value,
                ValidationInterval = parse.GetValue(validateEvery),
                MaskFalseNegatives = !Setting(noMask, p => !p.MaskPretraining),
                EarlyStopping = stopping,
                FarFraction = parse.GetValue(farFraction),
            };
            var finetune = FinetuneDefaults with
            {
                Steps = parse.GetValue(finetuneSteps),
                LearningRate = Setting(finetuneLearningRate, p => p.FinetuneLearningRate) ?? (lr / 1000),
                Temperature = parse.GetValue(finetuneTemperature)!.Value,
                ValidationInterval = parse.GetValue(finetuneValidateEvery),
                MaskFalseNegatives = !parse.GetValue(noFinetuneMask),
                EarlyStopping = stopping with { Metric = Setting(criterion, p => p.FinetuneCriterion), MinWeight = parse.GetValue(minWeight) },
            };
            var options = new DualEncoderTrainerOptions
            {
                Dimension = parse.GetValue(dimension),
                Stages = TrainingRecipes.Create(TrainingRecipes.Names[recipeName], first, finetune),
                Seed = parse.GetValue(seed),
                Threads = parse.GetValue(threads),
                Device = parse.GetValue(device)!,
                BatchSize = parse.GetValue(batchSize),
                RandomNegatives = parse.GetValue(negatives),
                NeighbourNegatives = parse.GetValue(neighbourNegatives),
                MaskSource = Setting(maskSource, p => p.MaskSource),
                FarThreshold = parse.GetValue(threshold),
            };
            var split = new PairSplitPolicy(new PairSplitOptions
            {
                Seed = options.Seed,
                ValidationFraction = Setting(validationFraction, p => p.ValidationFraction),
                TestFraction = Setting(testFraction, p => p.TestFraction),
            })
            {
                NearFraction = parse.GetValue(nearFraction),
                FarThreshold = options.FarThreshold,
                ThinningSeed = options.Seed,
            };
            var start = parse.GetValue(from) is { } fromPath ? TrainedModel.Load(fromPath).EmbeddingsFor(loaded) : null;
            if (TrainingRecipes.Names[recipeName] == TrainingRecipe.Finetune && start is null)
            {
                throw new UserInputException("--recipe finetune needs --from <model>: the pretrained model to finetune");
            }

            if (start is not null && start.Queries.Dimension != options.Dimension)
            {
                throw new UserInputException($"--from holds d={start.Queries.Dimension} embeddings but --dim is {options.Dimension}");
            }

            string folder = parse.GetValue(outFolder)!;
            var runOptions = new TrainingRunOptions
            {
                Trainer = options,
                Validation = new ValidationOptions
                {
                    Queries = parse.GetValue(validationQueries),
                    DistanceCap = parse.GetValue(validationCap) is int cap and > 0 ? cap : null,
                    MinFromDistance = Setting(validationMinFrom, p => p.ValidationMinFromDistance),
                },
                Recipe = recipeName,
                Protocol = protocolName,
                OutputFolder = folder,
                TopK = parse.GetValue(topK),
                Test = evaluation.EvaluatorOptions(parse, options.Threads),
            };
            TrainingRunResult result;
            using (var display = new TrainingDisplay(output.Error, output.Interactive && !output.Json, LogLevel.Information))
            using (var logging = LoggerFactory.Create(builder => builder.AddProvider(display).SetMinimumLevel(LogLevel.Information)))
            {
                try
                {
                    result = new TrainingRun(runOptions, logging.CreateLogger<TrainingRun>()).Train(RunInput.ForHierarchy(hierarchyName, loaded, split), display, cancellationToken, start);
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

            var metrics = result.Test!;
            if (output.Json)
            {
                output.Out.WriteLine(MetricsReport.ToJson(metrics));
                return 0;
            }

            var training = result.Training;
            output.Out.WriteLine($"{hierarchyName}: {loaded.Count:N0} nodes, d={options.Dimension}, {recipeName}{(protocolName is null ? "" : $" ({protocolName})")}, seed {options.Seed}; {(split.Pairs.TestFraction == 0 ? "all pairs" : "test split")} ({result.Split.Split.Test.Count:N0} pairs)");
            foreach (var stage in training.Stages)
            {
                output.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"  {stage.Name}: {stage.StepsRun:N0} steps in {training.StageSeconds.GetValueOrDefault(stage.Name):F1} s, kept step {stage.BestStep:N0} (validation score {stage.BestScore:F4})"));
            }

            foreach (var stage in result.EarlierStages)
            {
                output.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"  after {stage.Stage.Name} (the standard recipe's model): overall {stage.Test!.Overall:P1}, min {stage.Test.Min:P1} at distance {stage.Test.MinDistance} ({RunFolder.StageTestMetrics(stage.Stage.Name)})"));
            }

            MetricsReport.WriteTable(metrics, output.Out);
            output.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"({clock.Elapsed.TotalSeconds:F1} s; training {training.TrainingTime.TotalSeconds:F1} s, {training.PairsPerSecond:N0} pairs/s; model in {folder})"));
            return 0;
        })));
        return command;
    }

    /// <summary>A number between 0 and 1 inclusive.</summary>
    private static Option<double> UnitInterval(string name, string description, double defaultValue) => CommonOptions.Require(
        new Option<double>(name) { Description = description, DefaultValueFactory = _ => defaultValue },
        v => v is >= 0 and <= 1,
        v => $"{name} must be between 0 and 1, got {v}");

    private static Option<double> Fraction(string name, string description) => CommonOptions.Require(
        new Option<double>(name) { Description = description, DefaultValueFactory = _ => 0.05 },
        v => v is >= 0 and < 0.5,
        v => $"{name} must be at least 0 and below 0.5, got {v}");
}
