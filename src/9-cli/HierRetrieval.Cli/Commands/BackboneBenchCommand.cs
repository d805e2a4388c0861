using System.CommandLine;
using HierRetrieval.Backbones;
using HierRetrieval.Cli.Terminal;
using HierRetrieval.Data.Datasets;
using HierRetrieval.Studies.Benchmarks;

namespace HierRetrieval.Cli.Commands;

/// <summary>
/// <c>hierret bench backbone</c>: parses the options of <see cref="BackboneBenchmark"/> (tokenisation alone, the
/// encoder alone, the whole path and the package's own method, in one run) and prints its figures.
/// </summary>
internal static class BackboneBenchCommand
{
    public static Command Create()
    {
        var defaults = new BackboneBenchmarkOptions();
        var backbone = new Option<string>("--backbone")
        {
            Description = $"A packaged sentence encoder ({string.Join(", ", PackagedSentenceEncoders.Names)}) or a folder with model.onnx and vocab.txt.",
            DefaultValueFactory = _ => defaults.Backbone,
            HelpName = "name|folder",
        };
        var hierarchy = CommonOptions.Hierarchy(HierarchyCatalog.WordNetNounsName);
        var nodeText = CommonOptions.NodeText();
        var text = new Option<string>("--text") { Description = "Node text to embed: names (first lemma, 1-4 words) or glosses (one-sentence definitions).", DefaultValueFactory = _ => "names" };
        text.AcceptOnlyFromAmong("names", "glosses");
        var texts = CommonOptions.AtLeast("--texts", 1, "Texts per timed run (the first nodes with that text).", defaultValue: defaults.Texts);
        var batchSize = CommonOptions.AtLeast("--batch-size", 1, "Texts per ONNX Runtime call, for both this project's path and the package's.", defaultValue: defaults.BatchSize);
        var repeats = CommonOptions.AtLeast("--repeats", 1, "Timed repetitions of each path (the best is reported).", defaultValue: defaults.Repeats);
        var threads = CommonOptions.Threads();
        var json = CommonOptions.Json();
        var command = new Command("backbone", "Measure sentence-encoder throughput (texts/s): tokenisation alone, the encoder alone, the whole path, and the package's own SentenceEncoder.Encode on the same texts, in one run.")
        {
            backbone, hierarchy, nodeText, text, texts, batchSize, repeats, threads, json,
        };
        command.SetAction(parse => CommandOutput.Run(parse, json, output =>
        {
            var options = new BackboneBenchmarkOptions
            {
                Backbone = parse.GetValue(backbone)!, Text = parse.GetValue(text) == "glosses" ? BenchmarkText.Glosses : BenchmarkText.Names,
                Texts = parse.GetValue(texts), BatchSize = parse.GetValue(batchSize), Repeats = parse.GetValue(repeats), Threads = parse.GetValue(threads),
            };
            var result = BackboneBenchmark.Run(CommonOptions.LoadHierarchy(parse.GetValue(hierarchy)!, parse.GetValue(nodeText)), options);
            if (output.Json)
            {
                output.WriteJson(new
                {
                    backbone = options.Backbone, text = parse.GetValue(text), texts = result.Texts, meanTokens = result.MeanTokens, batchSize = options.BatchSize, threads = options.Threads,
                    tokenizeTextsPerSecond = result.TokenizeTextsPerSecond, encoderTextsPerSecond = result.EncoderTextsPerSecond,
                    wholePathTextsPerSecond = result.WholePathTextsPerSecond, packageTextsPerSecond = result.PackageTextsPerSecond,
                    wholePathOverEncoder = result.WholePathOverEncoder, wholePathOverPackage = result.WholePathOverPackage,
                });
                return 0;
            }

            output.Out.WriteLine($"{options.Backbone} on {result.Texts:N0} {parse.GetValue(text)} ({result.MeanTokens:F1} tokens on average), batch {options.BatchSize}, {options.Threads} threads");
            output.Out.WriteLine($"tokenisation alone:           {result.TokenizeTextsPerSecond,10:N0} texts/s");
            output.Out.WriteLine($"encoder alone (token ids):    {result.EncoderTextsPerSecond,10:N0} texts/s");
            output.Out.WriteLine($"whole path (text to vector):  {result.WholePathTextsPerSecond,10:N0} texts/s ({result.WholePathOverEncoder:P0} of the encoder alone)");
            output.Out.WriteLine(result.PackageTextsPerSecond is { } package
                ? $"package SentenceEncoder.Encode: {package,8:N0} texts/s (whole path {result.WholePathOverPackage:F2}x)"
                : "package SentenceEncoder.Encode: not measured (a model folder has no package)");
            return 0;
        }));
        return command;
    }
}
