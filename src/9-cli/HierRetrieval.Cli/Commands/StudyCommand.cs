using System.CommandLine;
using System.Globalization;
using HierRetrieval.Cli.Terminal;
using HierRetrieval.Data.IO;
using HierRetrieval.Evaluation.Reporting;
using HierRetrieval.Studies.Reporting;
using HierRetrieval.Studies.Recipes;

namespace HierRetrieval.Cli.Commands;

/// <summary><c>hierret study</c>: parses the options of the studies (HierRetrieval.Studies) and prints their tables.</summary>
internal static class StudyCommand
{
    public static Command Create()
    {
        var command = new Command("study", "Studies of the recipe: where it helps by hierarchy structure.");
        command.Add(Structure());
        command.Add(Chart());
        return command;
    }

    private static Command Chart()
    {
        var series = new Option<string[]>("--metrics")
        {
            Description = "A line from a metrics file, as <legend>=<test-metrics.json> (the legend ends at the last '=', so it may hold one: d=64=run/test-metrics.json).",
            AllowMultipleArgumentsPerToken = true,
            Required = true,
            HelpName = "legend=file",
        };
        var reference = new Option<string[]>("--reference")
        {
            Description = "A dashed line of quoted numbers, as <legend>=<distance>:<recall %>,... (e.g. a paper's table; the legend ends at the last '=').",
            AllowMultipleArgumentsPerToken = true,
            DefaultValueFactory = _ => [],
            HelpName = "legend=d:recall,...",
        };
        var title = new Option<string>("--title") { Description = "The chart's title.", DefaultValueFactory = _ => "recall by distance" };
        var outFile = new Option<string>("--out") { Description = "The SVG file, written atomically.", Required = true, HelpName = "file" };
        var command = new Command("chart", "Draw recall@|S(q)| by distance of several models (test-metrics.json files) and quoted numbers as an SVG chart, like the paper's figure.")
        {
            series, reference, title, outFile,
        };
        command.SetAction(parse => CommandOutput.Run(parse, null, output =>
        {
            var lines = parse.GetValue(series)!.Select(text =>
            {
                var (legend, file) = Split(text, "--metrics");
                return new RecallSeries(legend, MetricsReport.Read(file).ByDistance.ToDictionary(kv => int.Parse(kv.Key, CultureInfo.InvariantCulture), kv => kv.Value));
            }).Concat(parse.GetValue(reference)!.Select(text =>
            {
                var (legend, numbers) = Split(text, "--reference");
                return new RecallSeries(legend, numbers.Split(',').Select(ParsePoint).ToDictionary(p => p.Distance, p => p.Recall / 100), Dashed: true);
            })).ToList();
            string path = parse.GetValue(outFile)!;
            AtomicFile.WriteText(path, w => w.Write(RecallByDistanceChart.Render(parse.GetValue(title)!, lines)));
            output.Out.WriteLine($"wrote {lines.Count} lines to {path}");
            return 0;

            (int Distance, double Recall) ParsePoint(string point)
            {
                string[] parts = point.Split(':');
                return parts.Length == 2 && int.TryParse(parts[0], CultureInfo.InvariantCulture, out int d) && double.TryParse(parts[1], CultureInfo.InvariantCulture, out double r)
                    ? (d, r)
                    : throw new UserInputException($"--reference: '{point}' is not <distance>:<recall %>");
            }
        }));
        return command;
    }

    /// <summary>Legend and value split at the last '=': a legend may hold '=' ("d=64"), a file name or quoted numbers seldom do.</summary>
    private static (string Legend, string Value) Split(string text, string option)
    {
        int at = text.LastIndexOf('=');
        return at > 0 && at < text.Length - 1 ? (text[..at], text[(at + 1)..]) : throw new UserInputException($"{option}: expected <legend>=<value>, got '{text}'");
    }

    private static Command Structure()
    {
        var defaults = new StructureStudyOptions();
        var hierarchies = new Option<string[]>("--hierarchies") { Description = "Hierarchies to compare (specs or names).", AllowMultipleArgumentsPerToken = true, DefaultValueFactory = _ => [.. defaults.Hierarchies] };
        var dimension = CommonOptions.AtLeast("--dim", 1, "Embedding dimension.", defaults.Dimension);
        var steps = CommonOptions.AtLeast("--steps", 1, "Pretraining steps (the standard recipe's model).", defaults.Steps);
        var finetuneSteps = CommonOptions.AtLeast("--finetune-steps", 1, "Finetuning steps.", defaults.FinetuneSteps);
        var batchSize = CommonOptions.AtLeast("--batch-size", 2, "Pairs per batch.", defaults.BatchSize);
        var negatives = CommonOptions.AtLeast("--negatives", 0, "Random negatives per batch.", defaults.Negatives);
        var seed = CommonOptions.Seed("initial values, batches and negatives");
        var threads = CommonOptions.Threads();
        var json = CommonOptions.Json();
        var command = new Command("structure", "Standard vs pretrain-finetune under the paper-comparable protocol on perfect trees of several branchings and heights and on random DAGs; prints a Markdown table of overall and min recall.")
        {
            hierarchies, dimension, steps, finetuneSteps, batchSize, negatives, seed, threads, json,
        };
        command.SetAction((parse, cancellationToken) => Task.FromResult(CommandOutput.Run(parse, json, output =>
        {
            var options = new StructureStudyOptions
            {
                Hierarchies = parse.GetValue(hierarchies)!, Dimension = parse.GetValue(dimension), Steps = parse.GetValue(steps), FinetuneSteps = parse.GetValue(finetuneSteps),
                BatchSize = parse.GetValue(batchSize), Negatives = parse.GetValue(negatives), Seed = parse.GetValue(seed), Threads = parse.GetValue(threads),
            };
            var rows = StructureStudy.Run(options, new Progress(output), cancellationToken);
            if (output.Json)
            {
                output.WriteJson(rows.Select(r => new
                {
                    hierarchy = r.Hierarchy, nodes = r.Statistics.Nodes, maxDepth = r.Statistics.MaxDepth, multiParentNodes = r.Statistics.MultiParentNodes, farThreshold = r.FarThreshold,
                    standard = new { overall = r.Standard.Overall, min = r.Standard.Min, minDistance = r.Standard.MinDistance },
                    pretrainFinetune = new { overall = r.PretrainFinetune.Overall, min = r.PretrainFinetune.Min, minDistance = r.PretrainFinetune.MinDistance },
                    pretrainSeconds = r.PretrainSeconds, finetuneSeconds = r.FinetuneSeconds,
                }));
                return 0;
            }

            output.Out.WriteLine($"d={options.Dimension}, {options.Steps:N0} + {options.FinetuneSteps:N0} steps, batch {options.BatchSize} + {options.Negatives} negatives, seed {options.Seed}; recall@|S(q)| on all pairs (distances of 8 or more in one bucket)");
            output.Out.WriteLine();
            output.Out.WriteLine("| hierarchy | nodes | max depth | multi-parent nodes | far from | standard overall | standard min | pretrain-finetune overall | pretrain-finetune min | pretrain s | finetune s |");
            output.Out.WriteLine("|---|---|---|---|---|---|---|---|---|---|---|");
            foreach (var r in rows)
            {
                output.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"| `{r.Hierarchy}` | {r.Statistics.Nodes:N0} | {r.Statistics.MaxDepth} | {r.Statistics.MultiParentNodes:N0} | {r.FarThreshold} | {r.Standard.Overall * 100:F1} | {r.Standard.Min * 100:F1} (D{r.Standard.MinDistance}) | {r.PretrainFinetune.Overall * 100:F1} | {r.PretrainFinetune.Min * 100:F1} (D{r.PretrainFinetune.MinDistance}) | {r.PretrainSeconds:F0} | {r.FinetuneSeconds:F0} |"));
            }

            return 0;
        })));
        return command;
    }

    /// <summary>Names each hierarchy on standard error as its run starts.</summary>
    private sealed class Progress(CommandOutput output) : IProgress<string>
    {
        public void Report(string value)
        {
            if (!output.Json)
            {
                output.Error.WriteLine($"training {value}");
            }
        }
    }
}
