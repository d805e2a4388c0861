using System.Diagnostics;
using HierRetrieval.Data.Esci;
using HierRetrieval.Retrieval;
using HierRetrieval.Retrieval.Exact;

namespace HierRetrieval.Runtime.Scoring;

/// <summary>What an ESCI scoring run did and how fast.</summary>
/// <param name="Products">Products embedded.</param>
/// <param name="ProductsWithoutText">Products skipped: no text in the chosen fields.</param>
/// <param name="Queries">Distinct queries scored.</param>
/// <param name="ProductTime">Time to featurize and embed the products.</param>
/// <param name="QueryTime">Time to featurize, embed and search the queries.</param>
/// <param name="Report">Rows read and rejected in the two files.</param>
public sealed record EsciScoringSummary(int Products, long ProductsWithoutText, int Queries, TimeSpan ProductTime, TimeSpan QueryTime, EsciReadReport Report)
{
    /// <summary>Products embedded per second.</summary>
    public double ProductsPerSecond => Products / Math.Max(ProductTime.TotalSeconds, 1e-9);

    /// <summary>Queries scored per second.</summary>
    public double QueriesPerSecond => Queries / Math.Max(QueryTime.TotalSeconds, 1e-9);
}

/// <summary>Where an ESCI scoring run is: products embedded or queries scored, out of how many.</summary>
/// <param name="Stage">"products" while embedding the products, then "queries".</param>
/// <param name="Done">Items of this stage finished.</param>
/// <param name="Total">Items of this stage in all.</param>
public readonly record struct EsciScoringProgress(string Stage, long Done, long Total);

/// <summary>Settings of an ESCI scoring run.</summary>
public sealed record EsciScoringOptions
{
    /// <summary>Products retrieved per query (at most the number of products).</summary>
    public int K { get; init; } = 10;

    /// <summary>Locale and split filters and the product fields that make a product's text.</summary>
    public EsciLoadOptions Filters { get; init; } = new();

    /// <summary>
    /// Texts featurized and embedded per call, and per progress report. Each call costs a fixed overhead (the ML.NET
    /// featurizer's cursor): on 100,000 products, chunks of 4,096 embed about 20% fewer products per second than one chunk.
    /// </summary>
    public int ChunkSize { get; init; } = 16384;

    /// <summary>The index the products go into; null uses an exact index on all cores.</summary>
    public IVectorIndexFactory? Indexes { get; init; }
}

/// <summary>
/// Scores an examples file against a products file with a saved text model: every product is embedded once, in
/// batches, with the model's document tower; each distinct query retrieves its top k; the rows
/// (query_id, rank, product_id, score) go to a TSV or Parquet file, written atomically.
/// </summary>
public static class EsciFileScorer
{
    /// <summary>Runs the scoring, reporting progress as each chunk of products or queries is taken up.</summary>
    /// <exception cref="FileNotFoundException">A file does not exist.</exception>
    /// <exception cref="InvalidDataException">A file lacks a column, or no product has text.</exception>
    public static async Task<EsciScoringSummary> ScoreAsync(
        ITextModelScorer scorer, string examplesPath, string productsPath, string outputPath, EsciScoringOptions options,
        IProgress<EsciScoringProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(scorer);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.K, 1, nameof(options));
        ArgumentOutOfRangeException.ThrowIfLessThan(options.ChunkSize, 1, nameof(options));
        var filters = options.Filters;
        int k = options.K;
        var examples = await EsciFiles.ReadExamplesAsync(examplesPath, cancellationToken).ConfigureAwait(false);
        var products = await EsciFiles.ReadProductsAsync(productsPath, cancellationToken).ConfigureAwait(false);
        var dataset = EsciDataset.Join(examples, products, filters);
        var productIds = dataset.ProductIds;
        if (productIds.Count == 0)
        {
            throw new InvalidDataException($"{productsPath}: no product has text in the chosen fields (after the locale filter)");
        }

        var clock = Stopwatch.StartNew();
        using var index = (options.Indexes ?? ExactIndexFactory.AllCores).CreateIndex(scorer.Model.Documents.Dimension);
        foreach (var (start, count) in Chunks(productIds.Count, options.ChunkSize, "products", progress, cancellationToken))
        {
            index.Add(scorer.EmbedDocuments([.. productIds.Skip(start).Take(count).Select(id => dataset.ProductTexts[id])]).Values);
        }

        var productTime = clock.Elapsed;

        clock.Restart();
        var queries = examples.Rows
            .Where(e => (filters.Locale is null || e.Locale == filters.Locale) && (filters.Split is null || e.Split == filters.Split))
            .DistinctBy(e => e.QueryId).Select(e => (e.QueryId, e.Query)).ToArray();
        var rows = new List<(long, int, string, float)>(queries.Length * Math.Min(k, productIds.Count));
        foreach (var (start, count) in Chunks(queries.Length, options.ChunkSize, "queries", progress, cancellationToken))
        {
            var embeddings = scorer.EmbedQueries([.. queries.Skip(start).Take(count).Select(q => q.Query)]);
            var result = index.Search(embeddings.Values, Math.Min(k, productIds.Count), cancellationToken);
            for (int q = 0; q < count; q++)
            {
                var ids = result.IdsOf(q);
                var scores = result.ScoresOf(q);
                for (int rank = 0; rank < ids.Length; rank++)
                {
                    rows.Add((queries[start + q].QueryId, rank + 1, productIds[ids[rank]], scores[rank]));
                }
            }
        }

        var queryTime = clock.Elapsed;
        await EsciWriter.WriteRankingAsync(outputPath, rows, cancellationToken).ConfigureAwait(false);
        return new EsciScoringSummary(productIds.Count, dataset.Report.Counts.GetValueOrDefault("product without text"), queries.Length, productTime, queryTime, dataset.Report);
    }

    /// <summary>The (start, count) chunks of <paramref name="total"/> items; progress is reported as each one is taken up and at the end.</summary>
    private static IEnumerable<(int Start, int Count)> Chunks(int total, int size, string stage, IProgress<EsciScoringProgress>? progress, CancellationToken cancellationToken)
    {
        for (int start = 0; start < total; start += size)
        {
            cancellationToken.ThrowIfCancellationRequested();
            progress?.Report(new EsciScoringProgress(stage, start, total));
            yield return (start, Math.Min(size, total - start));
        }

        progress?.Report(new EsciScoringProgress(stage, total, total));
    }
}
