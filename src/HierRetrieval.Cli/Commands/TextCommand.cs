using System.CommandLine;
using System.Globalization;
using HierRetrieval.Cli.Terminal;
using HierRetrieval.Data.Datasets;
using HierRetrieval.Evaluation;
using HierRetrieval.MLNet.Text;
using HierRetrieval.Training.Towers;
using Microsoft.ML;

namespace HierRetrieval.Cli.Commands;

/// <summary><c>hierret train-text</c>: text towers on a hierarchy with node text, evaluated on held-out nodes against lookup tables.</summary>
internal static class TextCommand
{
    public static Command Create()
    {
        var hierarchy = CommonOptions.Hierarchy(HierarchyCatalog.WordNetMammalsName);
        var heldOut = new Option<double>("--held-out-fraction") { Description = "Fraction of the nodes (those with ancestors) held out of training, text and pairs.", DefaultValueFactory = _ => 0.05 };
        CommonOptions.Require(heldOut, v => v is > 0 and < 1, v => $"--held-out-fraction must be in (0, 1), got {v}");
        var recipe = new Option<string>("--recipe") { Description = "The text model's recipe (lookup tables use standard).", DefaultValueFactory = _ => "pretrain-finetune" };
        recipe.AcceptOnlyFromAmong("standard", "pretrain-finetune", "rebalanced");
        var dimension = CommonOptions.AtLeast("--dim", 1, "Embedding dimension.", 64);
        var hidden = CommonOptions.AtLeast("--hidden", 1, "Width of the feature embeddings and hidden layer.", new TextTowerOptions().HiddenSize);
        var steps = CommonOptions.AtLeast("--steps", 1, "Pretraining steps (both models).", 2000);
        var finetuneSteps = CommonOptions.AtLeast("--finetune-steps", 1, "Finetuning steps of the text model.", 300);
        var batchSize = CommonOptions.AtLeast("--batch-size", 2, "Pairs per batch.", 512);
        var negatives = CommonOptions.AtLeast("--negatives", 0, "Random negatives per batch.", 1024);
        var glossInDocuments = new Option<bool>("--gloss-in-documents") { Description = "Document texts include the gloss (query texts always do)." };
        var seed = CommonOptions.Seed("the held-out nodes, initial values and batches");
        var threads = CommonOptions.Threads();
        var json = CommonOptions.Json();
        var command = new Command("train-text", "Train text towers (lemmas and gloss) on a hierarchy with node text; report recall by distance on held-out nodes, beside lookup tables trained on the same pairs.")
        {
            hierarchy, heldOut, recipe, dimension, hidden, steps, finetuneSteps, batchSize, negatives, glossInDocuments, seed, threads, json,
        };
        command.SetAction((parse, cancellationToken) => Task.FromResult(CommandOutput.Run(parse, json, output =>
        {
            var loaded = HierarchyCatalog.Load(parse.GetValue(hierarchy)!);
            var options = new HeldOutNodeOptions
            {
                HeldOutFraction = parse.GetValue(heldOut),
                GlossInDocuments = parse.GetValue(glossInDocuments),
                Towers = new TextTowerOptions { HiddenSize = parse.GetValue(hidden) },
                Trainer = new HeldOutNodeOptions().Trainer with
                {
                    Recipe = TrainCommand.Recipes[parse.GetValue(recipe)!],
                    Dimension = parse.GetValue(dimension),
                    Steps = parse.GetValue(steps),
                    FinetuneSteps = parse.GetValue(finetuneSteps),
                    FinetuneLearningRate = 3e-4,
                    BatchSize = parse.GetValue(batchSize),
                    RandomNegatives = parse.GetValue(negatives),
                    Seed = parse.GetValue(seed),
                    Threads = parse.GetValue(threads),
                },
            };
            HeldOutNodeResult result;
            using (var display = new TrainingDisplay(output.Error, output.Interactive && !output.Json, Microsoft.Extensions.Logging.LogLevel.Information))
            {
                result = HeldOutNodeBenchmark.Run(new MLContext(parse.GetValue(seed)), loaded, options, display, cancellationToken);
            }

            var rows = new List<(string Name, HierarchyRetrievalMetrics Metrics)> { ($"text, {parse.GetValue(recipe)}", result.Text) };
            if (result.TextFirstStage is { } first)
            {
                rows.Add(("text, after pretraining (standard)", first));
            }

            rows.Add(("lookup tables, standard", result.LookupTable));
            if (output.Json)
            {
                output.WriteJson(new { heldOutNodes = result.HeldOutNodes, models = rows.Select(r => new { model = r.Name, overall = r.Metrics.Overall, min = r.Metrics.Min, minDistance = r.Metrics.MinDistance, byDistance = r.Metrics.RecallByDistance }) });
                return 0;
            }

            output.Out.WriteLine($"{parse.GetValue(hierarchy)}: {result.HeldOutNodes:N0} held-out nodes, {result.Text.Pairs:N0} (node, ancestor) pairs; recall@|S(q)| by distance (8 = 8+)");
            var distances = result.Text.RecallByDistance.Keys.Order().ToArray();
            output.Out.WriteLine($"{"model",-36}" + string.Concat(distances.Select(d => $"{"D" + d,7}")) + $"{"min",8}{"overall",9}");
            foreach (var (name, metrics) in rows)
            {
                output.Out.WriteLine($"{name,-36}" + string.Concat(distances.Select(d => string.Create(CultureInfo.InvariantCulture, $"{metrics.RecallByDistance.GetValueOrDefault(d) * 100,7:F1}")))
                    + string.Create(CultureInfo.InvariantCulture, $"{metrics.Min * 100,8:F1}{metrics.Overall * 100,9:F1}"));
            }

            return 0;
        })));
        return command;
    }
}
