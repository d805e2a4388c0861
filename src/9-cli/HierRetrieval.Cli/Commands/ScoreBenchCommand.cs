using System.CommandLine;
using HierRetrieval.Cli.Terminal;
using HierRetrieval.Studies.Benchmarks;

namespace HierRetrieval.Cli.Commands;

/// <summary>
/// <c>hierret bench score</c>: parses the options of <see cref="ScoreBenchmark"/> (the score command's path, ML.NET's
/// per-row path and the raw exact index, in one run) and prints its figures.
/// </summary>
internal static class ScoreBenchCommand
{
    public static Command Create()
    {
        var defaults = new ScoreBenchmarkOptions();
        var model = new Option<string>("--model") { Description = "A saved model zip (model.zip from train).", Required = true, HelpName = "zip" };
        var queries = CommonOptions.AtLeast("--queries", 1, "Queries for the batched paths (drawn from the vocabulary with the seed).", defaultValue: defaults.Queries);
        var perRowQueries = CommonOptions.AtLeast("--per-row-queries", 1, "Queries for the per-row ML.NET path (slower; fewer keep the run short).", defaultValue: defaults.PerRowQueries);
        var k = CommonOptions.AtLeast("--top-k", 1, "Documents per query for the batched paths (the per-row path uses the zip's k).", defaultValue: defaults.K);
        var repeats = CommonOptions.AtLeast("--repeats", 1, "Timed repetitions of each batched path (the best is reported).", defaultValue: defaults.Repeats);
        var threads = CommonOptions.Threads();
        var seed = CommonOptions.Seed("the query sample");
        var json = CommonOptions.Json();
        var command = new Command("score", "Measure score throughput (queries/s) against ML.NET's per-row ApplyOnnxModel path and the raw exact index, in one run.")
        {
            model, queries, perRowQueries, k, repeats, threads, seed, json,
        };
        command.SetAction(parse => CommandOutput.Run(parse, json, output =>
        {
            string path = parse.GetValue(model)!;
            var options = new ScoreBenchmarkOptions
            {
                Queries = parse.GetValue(queries), PerRowQueries = parse.GetValue(perRowQueries), K = parse.GetValue(k),
                Repeats = parse.GetValue(repeats), Threads = parse.GetValue(threads), Seed = parse.GetValue(seed),
            };
            var result = ScoreBenchmark.Run(path, options);
            if (output.Json)
            {
                output.WriteJson(new
                {
                    documents = result.Documents, dimension = result.Dimension, k = options.K, threads = options.Threads,
                    queries = options.Queries, scoreQueriesPerSecond = result.ScoreQueriesPerSecond, rawIndexQueriesPerSecond = result.RawIndexQueriesPerSecond,
                    perRowQueries = result.PerRowQueries, perRowQueriesPerSecond = result.PerRowQueriesPerSecond, perRowK = result.PerRowK,
                    scoreOverRawIndex = result.ScoreOverRawIndex,
                });
                return 0;
            }

            output.Out.WriteLine($"{path}: {result.Documents:N0} documents, d={result.Dimension}, top-{options.K}, {options.Threads} threads");
            output.Out.WriteLine($"score (batched tower + exact index + rows): {result.ScoreQueriesPerSecond,10:N0} queries/s ({options.Queries:N0} queries)");
            output.Out.WriteLine($"raw exact index (embeddings given):         {result.RawIndexQueriesPerSecond,10:N0} queries/s");
            output.Out.WriteLine($"ML.NET per-row ApplyOnnxModel (k={result.PerRowK}):      {result.PerRowQueriesPerSecond,10:N0} queries/s ({result.PerRowQueries:N0} queries)");
            output.Out.WriteLine($"score / raw index: {result.ScoreOverRawIndex:P1}");
            return 0;
        }));
        return command;
    }
}
