using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using HierRetrieval.Cli.Terminal;
using HierRetrieval.Data.Datasets;
using HierRetrieval.Evaluation;
using HierRetrieval.Evaluation.Lexical;
using HierRetrieval.Evaluation.Reporting;
using HierRetrieval.Runs.Models;
using HierRetrieval.Runs.Splits;

namespace HierRetrieval.Cli.Commands;

/// <summary><c>hierret evaluate</c> and <c>hierret hyperlex</c>: measure a trained model.</summary>
internal static class ModelCommands
{
    private static Option<string> Model() => new("--model")
    {
        Description = $"A training output folder, or its {TrainedModel.FileName}.",
        Required = true,
        HelpName = "dir|file",
    };

    public static Command Evaluate()
    {
        var model = Model();
        var hierarchy = CommonOptions.Hierarchy();
        var split = new Option<string>("--split") { Description = "Evaluate on the model's test split or on all pairs.", DefaultValueFactory = _ => "test" };
        split.AcceptOnlyFromAmong("test", "all");
        var byEvidence = new Option<bool>("--by-evidence")
        {
            Description = "Also report the test pairs apart by what the training pairs say about them: a path of two training pairs, a shared descendant, or nothing.",
        };
        var threads = CommonOptions.Threads();
        var json = CommonOptions.Json();
        var evaluation = new EvaluationOptions(defaultBucketCap: 8);
        var command = new Command("evaluate", "Evaluate a trained model on a hierarchy: recall@|S(q)| by distance, min, overall, recall@k, MAP, mean rank.")
        {
            model, hierarchy, split, byEvidence, threads, json,
        };
        command.Add(evaluation.K);
        command.Add(evaluation.BucketCap);
        command.SetAction(parse => CommandOutput.Run(parse, json, output =>
        {
            var trained = TrainedModel.Load(parse.GetValue(model)!);
            var loaded = HierarchyCatalog.Load(parse.GetValue(hierarchy)!);
            bool evidence = parse.GetValue(byEvidence), allPairs = parse.GetValue(split) == "all";
            if (evidence && allPairs)
            {
                throw new UserInputException("--by-evidence needs --split test: it sorts held-out pairs by what the training pairs say about them");
            }

            if (evidence && trained.Manifest.Split is PairSplitPolicy { Pairs.TestFraction: 0 })
            {
                throw new UserInputException("--by-evidence needs held-out test pairs, but this model was trained with --test-fraction 0 (every pair in training)");
            }

            var embeddings = trained.EmbeddingsFor(loaded);
            var modelSplit = allPairs ? null : trained.Manifest.SplitPairs(loaded.Closure);
            var pairs = modelSplit?.Test ?? Data.Pairs.PairSet.All(loaded.Closure);
            var evaluator = new HierarchyEvaluator(evaluation.EvaluatorOptions(parse, parse.GetValue(threads)));
            HierarchyRetrievalMetrics metrics;
            using (var progress = output.Progress("evaluating queries"))
            {
                metrics = evaluator.Evaluate(loaded.Closure, embeddings, pairs, progress);
            }

            var evidenceMetrics = new Dictionary<HeldOutEvidence, HierarchyRetrievalMetrics>();
            if (evidence)
            {
                var classes = new HeldOutEvidenceClassifier(loaded.Count, modelSplit!.Train).Partition(pairs);
                foreach (var (kind, subset) in classes)
                {
                    using var progress = output.Progress($"evaluating {EvidenceName(kind)} pairs");
                    evidenceMetrics[kind] = evaluator.Evaluate(loaded.Closure, embeddings, subset, progress);
                }
            }

            if (output.Json)
            {
                output.Out.WriteLine(evidence
                    ? CommandOutput.Serialize(new
                    {
                        all = MetricsReport.ToDocument(metrics),
                        byEvidence = evidenceMetrics.ToDictionary(kv => EvidenceName(kv.Key), kv => MetricsReport.ToDocument(kv.Value)),
                    })
                    : MetricsReport.ToJson(metrics));
                return 0;
            }

            output.Out.WriteLine($"{parse.GetValue(hierarchy)}: {loaded.Count:N0} nodes, model d={embeddings.Queries.Dimension} ({trained.Manifest.RecipeDescription}), {parse.GetValue(split)} pairs");
            MetricsReport.WriteTable(metrics, output.Out);
            foreach (var (kind, classMetrics) in evidenceMetrics)
            {
                output.Out.WriteLine();
                output.Out.WriteLine($"test pairs with evidence '{EvidenceName(kind)}' ({classMetrics.Pairs:N0} pairs)");
                MetricsReport.WriteTable(classMetrics, output.Out);
            }

            return 0;
        }));
        return command;
    }

    /// <summary>The name of an evidence class in reports and JSON: path, sharedDescendant, none.</summary>
    private static string EvidenceName(HeldOutEvidence evidence) => JsonNamingPolicy.CamelCase.ConvertName(evidence.ToString());

    public static Command HyperLex()
    {
        var model = Model();
        var file = new Option<string>("--file") { Description = $"HyperLex nouns file, all-pairs file (noun rows are used), or the distribution zip ({HyperLexReader.NounsEntry} is read).", Required = true, HelpName = "path" };
        var hierarchy = new Option<string?>("--hierarchy") { Description = "The hierarchy whose lemmas name the model's nodes (default: the one the model was trained on).", HelpName = "name|path" };
        var json = CommonOptions.Json();
        var command = new Command("hyperlex", "Score HyperLex noun pairs (w1 is a type of w2) with the model's synset embeddings and print Spearman's rho against AVG_SCORE.")
        {
            model, file, hierarchy, json,
        };
        command.SetAction(parse => CommandOutput.Run(parse, json, output =>
        {
            var trained = TrainedModel.Load(parse.GetValue(model)!);
            var loaded = HierarchyCatalog.Load(parse.GetValue(hierarchy) ?? trained.Manifest.Hierarchy);
            var pairs = HyperLexReader.ReadNouns(parse.GetValue(file)!);
            var metrics = HyperLexEvaluator.Evaluate(loaded, trained.EmbeddingsFor(loaded), pairs);
            if (output.Json)
            {
                output.WriteJson(metrics);
                return 0;
            }

            output.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"HyperLex nouns: Spearman rho {metrics.Spearman:F3} over {metrics.Covered:N0} of {metrics.Pairs:N0} pairs (d={trained.Embeddings.Queries.Dimension}, {trained.Manifest.RecipeDescription})"));
            return 0;
        }));
        return command;
    }
}
