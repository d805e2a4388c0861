using System.CommandLine;
using System.Globalization;
using HierRetrieval.Cli.Terminal;
using HierRetrieval.Studies.Recipes;

namespace HierRetrieval.Cli.Commands;

/// <summary><c>hierret study</c>: parses the options of the studies (HierRetrieval.Studies) and prints their tables.</summary>
internal static class StudyCommand
{
    public static Command Create()
    {
        var command = new Command("study", "Studies of the recipe: where it helps by hierarchy structure.");
        command.Add(Structure());
        return command;
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
