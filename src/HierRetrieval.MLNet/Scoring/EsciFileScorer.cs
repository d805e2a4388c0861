using System.Diagnostics;
using HierRetrieval.Data.Esci;
using HierRetrieval.Retrieval.Exact;

namespace HierRetrieval.MLNet.Scoring;

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

/// <summary>
/// Scores an examples file against a products file with a saved text model: every product is embedded once, in
/// batches, with the model's document tower; each distinct query retrieves its top k; the rows
/// (query_id, rank, product_id, score) go to a TSV or Parquet file, written atomically.
/// </summary>
public static class EsciFileScorer
{
    /// <summary>Runs the scoring.</summary>
    /// <exception cref="FileNotFoundException">A file does not exist.</exception>
    /// <exception cref="InvalidDataException">A file lacks a column, or no product has text.</exception>
    public static async Task<EsciScoringSummary> ScoreAsync(
        TextBatchScorer scorer, string examplesPath, string productsPath, int k, string outputPath, EsciLoadOptions filters, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(k, 1);
        var examples = await EsciFiles.ReadExamplesAsync(examplesPath, cancellationToken).ConfigureAwait(false);
        var products = await EsciFiles.ReadProductsAsync(productsPath, cancellationToken).ConfigureAwait(false);
        var dataset = EsciDataset.Join(examples, products, filters);
        var productIds = dataset.ProductIds;
        if (productIds.Count == 0)
        {
            throw new InvalidDataException($"{productsPath}: no product has text in the chosen fields (after the locale filter)");
        }

        var clock = Stopwatch.StartNew();
        var productEmbeddings = scorer.EmbedDocuments([.. productIds.Select(id => dataset.ProductTexts[id])]);
        var productTime = clock.Elapsed;

        clock.Restart();
        var queries = examples.Rows
            .Where(e => (filters.Locale is null || e.Locale == filters.Locale) && (filters.Split is null || e.Split == filters.Split))
            .DistinctBy(e => e.QueryId).Select(e => (e.QueryId, e.Query)).ToArray();
        var rows = new List<(long, int, string, float)>(queries.Length * k);
        if (queries.Length > 0)
        {
            using var index = new ExactIndex(productEmbeddings);
            var result = index.Search(scorer.EmbedQueries([.. queries.Select(q => q.Query)]).Values, Math.Min(k, productIds.Count), cancellationToken);
            for (int q = 0; q < queries.Length; q++)
            {
                var ids = result.IdsOf(q);
                var scores = result.ScoresOf(q);
                for (int rank = 0; rank < ids.Length; rank++)
                {
                    rows.Add((queries[q].QueryId, rank + 1, productIds[ids[rank]], scores[rank]));
                }
            }
        }

        var queryTime = clock.Elapsed;
        await EsciWriter.WriteRankingAsync(outputPath, rows, cancellationToken).ConfigureAwait(false);
        return new EsciScoringSummary(productIds.Count, dataset.Report.Counts.GetValueOrDefault("product without text"), queries.Length, productTime, queryTime, dataset.Report);
    }
}
