using System.CommandLine;
using System.Globalization;
using HierRetrieval.Cli.Terminal;
using HierRetrieval.Data.IO;
using HierRetrieval.Runtime.Scoring;
using HierRetrieval.Runtime.Zips;

namespace HierRetrieval.Cli.Commands;

/// <summary><c>hierret score</c>: retrieves the top-k documents for every query of a file with a saved model zip.</summary>
internal static class ScoreCommand
{
    public static Command Create()
    {
        var model = new Option<string>("--model") { Description = "A saved model zip (model.zip from train, or a DualEncoderTransformer saved by ML.NET).", Required = true, HelpName = "zip" };
        var queries = new Option<string?>("--queries") { Description = "Query file (UTF-8): the first column holds the query (a name for a lookup-table model, any text for a text model); TSV, or CSV when the name ends in .csv; empty lines and lines starting with # are skipped.", HelpName = "file" };
        var examples = new Option<string?>("--examples") { Description = "Instead of --queries, with a text model (n-gram towers or a sentence encoder): an ESCI examples table (.parquet/.csv/.tsv); each distinct query_id is scored.", HelpName = "file" };
        var products = new Option<string?>("--products") { Description = "With --examples: the ESCI products table; every product is embedded once and retrieved from.", HelpName = "file" };
        var locale = new Option<string?>("--locale") { Description = "With --examples: keep one locale (us, es, jp).", HelpName = "locale" };
        var split = new Option<string?>("--split") { Description = "With --examples: score the queries of one split (train or test).", HelpName = "split" };
        var topK = CommonOptions.AtLeast("--top-k", 1, "Documents per query.", defaultValue: 10);
        var outFile = new Option<string>("--out") { Description = "Output: a TSV of query, rank, document, score (with --examples: query_id, rank, product_id, score; Parquet when the name ends in .parquet), written atomically.", Required = true, HelpName = "file" };
        var header = new Option<bool>("--header") { Description = "The first non-comment line of the query file is a header row." };
        var badRows = new Option<BadRowPolicy>("--bad-rows") { Description = "A line that cannot be scored (its query field empty or blank, broken CSV quoting, bytes that are not UTF-8, or a query the model does not know): fail the run, or skip it and count it. Empty lines and lines starting with # are not rows.", DefaultValueFactory = _ => BadRowPolicy.Fail };
        var batchSize = CommonOptions.AtLeast("--batch-size", 1, "Queries per tower call and index search (with --examples: texts per featurizer and tower call, default 16384).", defaultValue: 4096);
        var threads = CommonOptions.Threads();
        var json = CommonOptions.Json();
        var command = new Command("score", "Retrieve the top-k documents for every query of a file with a saved model zip, in batches (batched ONNX Runtime tower calls and the exact index).")
        {
            model, queries, examples, products, locale, split, topK, outFile, header, badRows, batchSize, threads, json,
        };
        command.SetAction((parse, cancellationToken) => Task.FromResult(CommandOutput.Run(parse, json, output =>
        {
            if (parse.GetValue(examples) is { } examplesPath)
            {
                string productsPath = parse.GetValue(products) ?? throw new UserInputException("--examples needs --products: the products to retrieve from");
                var options = new EsciScoringOptions
                {
                    K = parse.GetValue(topK),
                    ChunkSize = parse.GetResult(batchSize) is { Implicit: false } ? parse.GetValue(batchSize) : new EsciScoringOptions().ChunkSize,
                    Filters = new Data.Esci.EsciLoadOptions { Locale = parse.GetValue(locale), Split = parse.GetValue(split) },
                };
                return ScoreEsci(parse.GetValue(model)!, examplesPath, productsPath, parse.GetValue(outFile)!, options, output, cancellationToken);
            }

            string modelPath = parse.GetValue(model)!, outPath = parse.GetValue(outFile)!;
            string queryPath = parse.GetValue(queries) ?? throw new UserInputException("give --queries <file>, or --examples and --products with a text model");
            var lines = QueryFile.Read(queryPath, parse.GetValue(header));   // checks the file before a large model loads
            using var scorer = OpenSearcher(modelPath, parse.GetValue(threads));
            int k = parse.GetValue(topK);
            if (k > scorer.Documents)
            {
                throw new UserInputException($"--top-k {k} is more than the model's {scorer.Documents:N0} documents");
            }

            ScoringSummary summary = null!;
            try
            {
                using var progress = output.Progress("scoring queries");

                // The line count is a second pass over the file, made only for a progress display that shows.
                long totalLines = progress.Enabled ? File.ReadLines(queryPath).LongCount() : 0;
                AtomicFile.WriteText(outPath, writer => summary = QueryFileScorer.Score(
                    scorer, lines, k, writer, parse.GetValue(badRows), parse.GetValue(batchSize), new Progress(progress, totalLines), cancellationToken));
            }
            catch (BadQueryLineException e)
            {
                throw new UserInputException($"{queryPath}:{e.Line}: {e.Reason} (use --bad-rows skip to skip such lines; nothing was written)");
            }

            if (output.Json)
            {
                output.WriteJson(new
                {
                    queries = summary.Scored, skipped = summary.Skipped, k, seconds = summary.Elapsed.TotalSeconds, queriesPerSecond = summary.QueriesPerSecond,
                    firstSkipped = summary.FirstSkipped.Select(s => new { line = s.Line, reason = s.Reason }),
                    output = outPath,
                });
                return 0;
            }

            foreach (var skip in summary.FirstSkipped)
            {
                output.Error.WriteLine($"skipped {queryPath}:{skip.Line}: {skip.Reason}");
            }

            output.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"scored {summary.Scored:N0} queries (top {k}), skipped {summary.Skipped:N0} bad lines, in {summary.Elapsed.TotalSeconds:F2} s ({summary.QueriesPerSecond:N0} queries/s) -> {outPath}"));
            return 0;
        })));
        return command;
    }

    /// <summary>The searcher of the zip's kind: lookup tables by query name, or a text model (n-gram towers or a sentence encoder) by query text.</summary>
    private static IQuerySearcher OpenSearcher(string modelPath, int threads)
    {
        var indexes = Retrieval.Exact.ExactIndexFactory.WithThreads(threads);
        var contents = RetrievalModelZip.ReadContents(modelPath);
        return contents.Kind == Export.Onnx.OnnxModelMetadata.RetrievalKind
            ? new BatchScorer(contents.Retrieval(), indexes)
            : new TextQuerySearcher(TextModelScorers.Open(contents, threads), indexes);
    }

    private static int ScoreEsci(string modelPath, string examplesPath, string productsPath, string outPath, EsciScoringOptions options, CommandOutput output, CancellationToken cancellationToken)
    {
        using var scorer = TextModelScorers.Open(modelPath);
        options = options with { Filters = options.Filters with { ProductText = Runtime.Shopping.EsciModel.RecordedProductFields(scorer.Model) ?? options.Filters.ProductText } };
        EsciScoringSummary summary;
        using (var progress = new StageProgress(output))
        {
            summary = EsciFileScorer.ScoreAsync(scorer, examplesPath, productsPath, outPath, options, progress, cancellationToken).GetAwaiter().GetResult();
        }

        int k = options.K;

        if (output.Json)
        {
            output.WriteJson(new
            {
                products = summary.Products, productsWithoutText = summary.ProductsWithoutText, queries = summary.Queries, k,
                productsPerSecond = summary.ProductsPerSecond, queriesPerSecond = summary.QueriesPerSecond, rows = summary.Report.Counts, output = outPath,
            });
            return 0;
        }

        foreach (string problem in summary.Report.FirstProblems)
        {
            output.Error.WriteLine($"skipped {problem}");
        }

        output.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"embedded {summary.Products:N0} products ({summary.ProductsPerSecond:N0}/s; {summary.ProductsWithoutText:N0} without text skipped), scored {summary.Queries:N0} queries (top {k}, {summary.QueriesPerSecond:N0}/s) -> {outPath}"));
        return 0;
    }

    /// <summary>Lines handled, reported to the terminal progress line against the file's line count.</summary>
    private sealed class Progress(TerminalProgress progress, long total) : IProgress<long>
    {
        public void Report(long value) => progress.Report((value, total));
    }

    /// <summary>An ESCI run's progress: one terminal line per stage (embedding products, then scoring queries).</summary>
    private sealed class StageProgress(CommandOutput output) : IProgress<EsciScoringProgress>, IDisposable
    {
        private TerminalProgress? _line;
        private string? _stage;

        public void Report(EsciScoringProgress value)
        {
            if (value.Stage != _stage)
            {
                _line?.Dispose();
                _stage = value.Stage;
                _line = output.Progress(value.Stage == "products" ? "embedding products" : "scoring queries");
            }

            _line!.Report((value.Done, value.Total));
        }

        public void Dispose() => _line?.Dispose();
    }
}
