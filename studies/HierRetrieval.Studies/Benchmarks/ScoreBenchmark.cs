using System.Diagnostics;
using HierRetrieval.Retrieval.Exact;
using HierRetrieval.Runtime.Scoring;
using HierRetrieval.Runtime.Zips;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace HierRetrieval.Studies.Benchmarks;

/// <summary>Settings of <see cref="ScoreBenchmark"/>.</summary>
public sealed record ScoreBenchmarkOptions
{
    /// <summary>Queries for the batched paths (drawn from the vocabulary with the seed).</summary>
    public int Queries { get; init; } = 16_384;

    /// <summary>Queries for ML.NET's per-row path (slower; fewer keep the run short).</summary>
    public int PerRowQueries { get; init; } = 2048;

    /// <summary>Documents per query of the batched paths (the per-row path uses the zip's k).</summary>
    public int K { get; init; } = 10;

    /// <summary>Timed repetitions of each batched path (the best is reported).</summary>
    public int Repeats { get; init; } = 3;

    /// <summary>Index threads.</summary>
    public int Threads { get; init; } = Environment.ProcessorCount;

    /// <summary>Seed of the query sample.</summary>
    public int Seed { get; init; }
}

/// <summary>Queries per second of three ways to retrieve with a saved model zip, measured in one run.</summary>
/// <param name="Documents">Documents of the model.</param>
/// <param name="Dimension">Embedding dimension.</param>
/// <param name="ScoreQueriesPerSecond">The score command's path: names, batched tower, exact index, formatted rows.</param>
/// <param name="RawIndexQueriesPerSecond">The exact index alone on precomputed query embeddings.</param>
/// <param name="PerRowQueries">Queries run through the per-row path.</param>
/// <param name="PerRowQueriesPerSecond">ML.NET's per-row ApplyOnnxModel path of the loaded zip.</param>
/// <param name="PerRowK">The zip's k.</param>
public sealed record ScoreBenchmarkResult(int Documents, int Dimension, double ScoreQueriesPerSecond, double RawIndexQueriesPerSecond, int PerRowQueries, double PerRowQueriesPerSecond, int PerRowK)
{
    /// <summary>The score path's speed as a fraction of the raw index's.</summary>
    public double ScoreOverRawIndex => ScoreQueriesPerSecond / RawIndexQueriesPerSecond;
}

/// <summary>
/// Times the score command's path (names -> batched ONNX Runtime tower -> exact index -> formatted rows), ML.NET's
/// per-row ApplyOnnxModel path, and the exact index alone on precomputed query embeddings.
/// </summary>
public static class ScoreBenchmark
{
    /// <summary>Reads the zip at <paramref name="path"/> and times the three paths.</summary>
    public static ScoreBenchmarkResult Run(string path, ScoreBenchmarkOptions options)
    {
        var exported = RetrievalModelZip.Read(path);
        var random = new Random(options.Seed);
        string[] sample = [.. Enumerable.Range(0, options.Queries).Select(_ => exported.QueryVocabulary[random.Next(exported.QueryVocabulary.Count)])];
        QueryLine[] lines = [.. sample.Select((q, i) => new QueryLine(i + 1, q, null))];
        var indexes = ExactIndexFactory.WithThreads(options.Threads);
        using var scorer = new BatchScorer(exported, indexes);
        long[] ids = [.. sample.Select(q => scorer.TryGetQueryId(q, out long id) ? id : 0)];
        float[] embeddings = scorer.EmbedQueries(ids);
        using var index = indexes.CreateIndex(exported.Dimension);
        index.Add(exported.Documents.Values);

        double scorePath = BestOfRepeats.Seconds(options.Repeats, () => QueryFileScorer.Score(scorer, lines, options.K, TextWriter.Null, BadRowPolicy.Fail));
        double rawIndex = BestOfRepeats.Seconds(options.Repeats, () => index.Search(embeddings, options.K));
        int perRow = Math.Min(options.PerRowQueries, options.Queries);
        double perRowPath = PerRow(path, sample[..perRow]);
        return new ScoreBenchmarkResult(exported.Documents.Rows, exported.Dimension, options.Queries / scorePath, options.Queries / rawIndex, perRow, perRow / perRowPath, exported.K);
    }

    /// <summary>Seconds to load the zip's chain and read every query's documents and scores through it.</summary>
    private static double PerRow(string path, string[] sample)
    {
        var mlContext = new MLContext(seed: 0);
        var chain = mlContext.Model.Load(path, out var schema);
        var data = OnnxChains.TextView(mlContext, sample, schema[0].Name);
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
}
