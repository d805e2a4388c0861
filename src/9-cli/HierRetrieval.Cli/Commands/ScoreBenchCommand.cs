using System.CommandLine;
using System.Diagnostics;
using HierRetrieval.Cli.Terminal;
using HierRetrieval.Runtime.Scoring;
using HierRetrieval.Runtime.Zips;
using HierRetrieval.Retrieval.Exact;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace HierRetrieval.Cli.Commands;

/// <summary>
/// <c>hierret bench score</c>: queries/s of three ways to retrieve with a saved model zip, in one run: the score
/// command's path (names -> batched ONNX Runtime tower -> exact index -> formatted rows), ML.NET's per-row
/// ApplyOnnxModel path, and the exact index alone on precomputed query embeddings.
/// </summary>
internal static class ScoreBenchCommand
{
    public static Command Create()
    {
        var model = new Option<string>("--model") { Description = "A saved model zip (model.zip from train).", Required = true, HelpName = "zip" };
        var queries = CommonOptions.AtLeast("--queries", 1, "Queries for the batched paths (drawn from the vocabulary with the seed).", defaultValue: 16_384);
        var perRowQueries = CommonOptions.AtLeast("--per-row-queries", 1, "Queries for the per-row ML.NET path (slower; fewer keep the run short).", defaultValue: 2048);
        var k = CommonOptions.AtLeast("--top-k", 1, "Documents per query for the batched paths (the per-row path uses the zip's k).", defaultValue: 10);
        var repeats = CommonOptions.AtLeast("--repeats", 1, "Timed repetitions of each batched path (the best is reported).", defaultValue: 3);
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
            int t = parse.GetValue(threads), topK = parse.GetValue(k), count = parse.GetValue(queries);
            var exported = RetrievalModelZip.Read(path);
            var random = new Random(parse.GetValue(seed));
            string[] sample = [.. Enumerable.Range(0, count).Select(_ => exported.QueryVocabulary[random.Next(exported.QueryVocabulary.Count)])];
            QueryLine[] lines = [.. sample.Select((q, i) => new QueryLine(i + 1, q, null))];
            using var scorer = new BatchScorer(exported, ExactIndexFactory.WithThreads(t));
            long[] ids = [.. sample.Select(q => scorer.TryGetQueryId(q, out long id) ? id : 0)];
            float[] embeddings = scorer.EmbedQueries(ids);
            using var index = new ExactIndex(exported.Documents, new ExactIndexOptions { Threads = t });

            double scorePath = BenchCommand.BestSeconds(parse.GetValue(repeats), () => QueryFileScorer.Score(scorer, lines, topK, TextWriter.Null, BadRowPolicy.Fail));
            double rawIndex = BenchCommand.BestSeconds(parse.GetValue(repeats), () => index.Search(embeddings, topK));
            int perRow = Math.Min(parse.GetValue(perRowQueries), count);
            double perRowPath = PerRow(path, sample[..perRow]);
            var result = new
            {
                documents = exported.Documents.Rows, dimension = exported.Dimension, k = topK, threads = t,
                queries = count, scoreQueriesPerSecond = count / scorePath, rawIndexQueriesPerSecond = count / rawIndex,
                perRowQueries = perRow, perRowQueriesPerSecond = perRow / perRowPath, perRowK = exported.K,
                scoreOverRawIndex = rawIndex / scorePath,
            };
            if (output.Json)
            {
                output.WriteJson(result);
                return 0;
            }

            output.Out.WriteLine($"{path}: {result.documents:N0} documents, d={result.dimension}, top-{topK}, {t} threads");
            output.Out.WriteLine($"score (batched tower + exact index + rows): {result.scoreQueriesPerSecond,10:N0} queries/s ({count:N0} queries)");
            output.Out.WriteLine($"raw exact index (embeddings given):         {result.rawIndexQueriesPerSecond,10:N0} queries/s");
            output.Out.WriteLine($"ML.NET per-row ApplyOnnxModel (k={exported.K}):      {result.perRowQueriesPerSecond,10:N0} queries/s ({perRow:N0} queries)");
            output.Out.WriteLine($"score / raw index: {result.scoreOverRawIndex:P1}");
            return 0;
        }));
        return command;
    }

    /// <summary>Seconds to load the zip's chain and read every query's documents and scores through it.</summary>
    private static double PerRow(string path, string[] sample)
    {
        var mlContext = new MLContext(seed: 0);
        var chain = mlContext.Model.Load(path, out var schema);
        var data = mlContext.Data.LoadFromEnumerable(sample.Select(q => new QueryRow { Query = q }), QueryDefinition(schema[0].Name));
        var clock = Stopwatch.StartNew();
        var scored = chain.Transform(data);
        using var cursor = scored.GetRowCursor([scored.Schema["Documents"], scored.Schema["Scores"]]);
        var documents = cursor.GetGetter<VBuffer<ReadOnlyMemory<char>>>(scored.Schema["Documents"]);
        var scores = cursor.GetGetter<VBuffer<float>>(scored.Schema["Scores"]);
        VBuffer<ReadOnlyMemory<char>> names = default;
        VBuffer<float> values = default;
        while (cursor.MoveNext())
        {
            documents(ref names);
            scores(ref values);
        }

        return clock.Elapsed.TotalSeconds;
    }

    private static SchemaDefinition QueryDefinition(string column)
    {
        var definition = SchemaDefinition.Create(typeof(QueryRow));
        definition[0].ColumnName = column;
        return definition;
    }

    private sealed class QueryRow
    {
        public string Query { get; set; } = "";
    }
}
