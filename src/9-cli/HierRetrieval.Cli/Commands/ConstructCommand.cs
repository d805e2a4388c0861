using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using HierRetrieval.Cli.Terminal;
using HierRetrieval.Construction;
using HierRetrieval.Construction.Reporting;
using HierRetrieval.Data.Datasets;
using HierRetrieval.Data.IO;
using HierRetrieval.Evaluation;
using HierRetrieval.Evaluation.Reporting;

namespace HierRetrieval.Cli.Commands;

/// <summary><c>hierret construct</c>: the Theorem 3.1 construction, evaluated like a trained model, and its dimension study.</summary>
internal static class ConstructCommand
{
    public static Command Create()
    {
        var hierarchy = CommonOptions.Hierarchy();
        var dimension = CommonOptions.AtLeast("--dim", 1, "Embedding dimension d.", required: true);
        var seed = CommonOptions.Seed("the Gaussian draws and of --queries sampling");
        var threads = CommonOptions.Threads();
        var json = CommonOptions.Json();
        var evaluation = new EvaluationOptions();
        var command = new Command("construct", "Embed a hierarchy by the Theorem 3.1 construction and print its recall-by-distance report.")
        {
            hierarchy, dimension, seed, threads, json,
        };
        evaluation.AddTo(command);
        command.SetAction(parse => CommandOutput.Run(parse, json, output =>
        {
            var clock = Stopwatch.StartNew();
            var loaded = HierarchyCatalog.Load(parse.GetValue(hierarchy)!);
            var embeddings = GaussianConstruction.Build(loaded, parse.GetValue(dimension), parse.GetValue(seed));
            var pairs = evaluation.Pairs(parse, loaded, parse.GetValue(seed));
            var evaluator = new HierarchyEvaluator(evaluation.EvaluatorOptions(parse, parse.GetValue(threads)));
            HierarchyRetrievalMetrics metrics;
            using (var progress = output.Progress("evaluating queries"))
            {
                metrics = evaluator.Evaluate(loaded.Closure, embeddings, pairs, progress);
            }

            if (output.Json)
            {
                output.Out.WriteLine(MetricsReport.ToJson(metrics));
                return 0;
            }

            output.Out.WriteLine($"{parse.GetValue(hierarchy)}: {loaded.Count:N0} nodes, construction d={parse.GetValue(dimension)}, seed {parse.GetValue(seed)}");
            MetricsReport.WriteTable(metrics, output.Out);
            output.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"({clock.Elapsed.TotalSeconds:F1} s)"));
            return 0;
        }));
        command.Add(Study());
        return command;
    }

    private static Command Study()
    {
        var target = CommonOptions.Require(
            new Option<double>("--target") { Description = "Overall recall the dimension must reach.", DefaultValueFactory = _ => 0.95 },
            v => v is > 0 and <= 1,
            v => $"--target must be in (0, 1], got {v}");
        var seeds = CommonOptions.AtLeast("--seeds", 1, "Constructions averaged at each dimension.", defaultValue: 3);
        var heights = new Option<int[]>("--heights") { Description = "Tree heights H of the first series (W = --branching).", DefaultValueFactory = _ => [2, 3, 4, 5, 6, 7, 8, 9, 10], AllowMultipleArgumentsPerToken = true };
        var branching = CommonOptions.AtLeast("--branching", 2, "W of the height series.", defaultValue: 2);
        var branchings = new Option<int[]>("--branchings") { Description = "Branching factors W of the second series (H = --height).", DefaultValueFactory = _ => [2, 3, 4, 6, 8, 11, 16], AllowMultipleArgumentsPerToken = true };
        var height = CommonOptions.AtLeast("--height", 2, "H of the branching series.", defaultValue: 4);
        var outFolder = new Option<string?>("--out") { Description = "Folder for construction-study-results.md and construction-study.svg (nothing written when omitted)." };
        var threads = CommonOptions.Threads();
        var json = CommonOptions.Json();
        var command = new Command("study", "Find the smallest dimension reaching the target recall on perfect trees, varying H and W, and fit the slopes.")
        {
            target, seeds, heights, branching, branchings, height, outFolder, threads, json,
        };
        command.SetAction(parse => CommandOutput.Run(parse, json, output =>
        {
            if (parse.GetValue(heights)!.Any(h => h < 2) || parse.GetValue(branchings)!.Any(w => w < 2))
            {
                throw new UserInputException("--heights and --branchings values must be at least 2");
            }

            var options = new DimensionSearchOptions { TargetRecall = parse.GetValue(target), Seeds = parse.GetValue(seeds), Threads = parse.GetValue(threads) };
            var clock = Stopwatch.StartNew();
            var progress = new SynchronousProgress<StudyPoint>(p =>
            {
                if (!output.Json)
                {
                    output.Error.WriteLine($"W={p.Branching} H={p.Height}: d={p.Dimension} (recall {p.Recall:P1})");
                }
            });
            var study = ConstructionStudy.Run(parse.GetValue(branching), parse.GetValue(heights)!, parse.GetValue(height), parse.GetValue(branchings)!, options, progress);
            string command = string.Create(CultureInfo.InvariantCulture,
                $"hierret construct study --target {options.TargetRecall} --seeds {options.Seeds} --branching {parse.GetValue(branching)} --heights {string.Join(' ', parse.GetValue(heights)!)} --height {parse.GetValue(height)} --branchings {string.Join(' ', parse.GetValue(branchings)!)}");
            var report = StudyReport.Markdown(study, command, clock.Elapsed);
            if (parse.GetValue(outFolder) is { } folder)
            {
                AtomicFile.WriteText(Path.Combine(folder, "construction-study-results.md"), w => w.Write(report));
                AtomicFile.WriteText(Path.Combine(folder, "construction-study.svg"), w => w.Write(StudyReport.Svg(study)));
            }

            if (output.Json)
            {
                output.WriteJson(study);
            }
            else
            {
                output.Out.Write(report);
            }

            return 0;
        }));
        return command;
    }
}
