using HierRetrieval.Data.Esci;
using HierRetrieval.MLNet.Scoring;
using HierRetrieval.MLNet.Text;
using HierRetrieval.Retrieval;
using HierRetrieval.Retrieval.Exact;

namespace HierRetrieval.MLNet.Shopping;

/// <summary>Retrieval quality by ESCI label: recall@k of Exact and of Substitute judgements, and NDCG@k with ESCI gains.</summary>
/// <param name="Queries">Queries evaluated.</param>
/// <param name="K">Products retrieved per query.</param>
/// <param name="ExactRecall">Exact judgements whose product is in the top k, over all Exact judgements.</param>
/// <param name="SubstituteRecall">The same for Substitute judgements.</param>
/// <param name="Ndcg">Mean NDCG@k with gains E 1.0, S 0.1, C 0.01, I 0 (unjudged products gain 0), over queries with a positive gain.</param>
/// <param name="ExactPairs">Exact judgements evaluated.</param>
/// <param name="SubstitutePairs">Substitute judgements evaluated.</param>
public sealed record EsciMetrics(int Queries, int K, double ExactRecall, double SubstituteRecall, double Ndcg, long ExactPairs, long SubstitutePairs);

/// <summary>Evaluates an <see cref="EsciTextModel"/> on judgements: every query retrieves its top k among the model's product corpus.</summary>
public static class EsciEvaluator
{
    /// <summary>Embeds the queries of <paramref name="test"/> (batched ONNX Runtime calls of the query tower), searches the model's products exactly, and scores by label.</summary>
    public static EsciMetrics Evaluate(EsciTextModel model, EsciDataset test, int k, int threads = 0) =>
        Evaluate(texts => EmbedQueries(model, texts), model.ProductIds, model.Products, test, k, threads);

    /// <summary>
    /// Evaluates a saved text model: the products of <paramref name="test"/> (its products file) are embedded with the
    /// zip's document tower, its queries with the query tower.
    /// </summary>
    public static EsciMetrics Evaluate(TextBatchScorer scorer, EsciDataset test, int k, int threads = 0)
    {
        var productIds = test.ProductIds;
        var products = scorer.EmbedDocuments([.. productIds.Select(id => test.ProductTexts[id])]);
        return Evaluate(texts => scorer.EmbedQueries(texts).Values.ToArray(), productIds, products, test, k, threads);
    }

    private static EsciMetrics Evaluate(Func<IReadOnlyList<string>, float[]> embedQueries, IReadOnlyList<string> productIds, EmbeddingMatrix products, EsciDataset test, int k, int threads)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(k, 1);
        var judged = test.Judgements.GroupBy(j => j.QueryId).Select(g => (Query: g.First().Query, Labels: g.GroupBy(j => j.ProductId).ToDictionary(p => p.Key, p => p.First().Label))).ToArray();
        var queries = embedQueries([.. judged.Select(j => j.Query)]);
        using var index = new ExactIndex(products, new ExactIndexOptions { Threads = threads > 0 ? threads : Environment.ProcessorCount });
        var result = index.Search(queries, Math.Min(k, products.Rows));
        long exact = 0, exactFound = 0, substitute = 0, substituteFound = 0;
        double ndcg = 0;
        int ndcgQueries = 0;
        for (int q = 0; q < judged.Length; q++)
        {
            var labels = judged[q].Labels;
            var retrieved = result.IdsOf(q).ToArray().Select(row => productIds[row]).ToArray();
            var top = retrieved.ToHashSet(StringComparer.Ordinal);
            foreach (var (product, label) in labels)
            {
                bool found = top.Contains(product);
                (exact, exactFound) = label == EsciLabel.Exact ? (exact + 1, exactFound + (found ? 1 : 0)) : (exact, exactFound);
                (substitute, substituteFound) = label == EsciLabel.Substitute ? (substitute + 1, substituteFound + (found ? 1 : 0)) : (substitute, substituteFound);
            }

            double dcg = retrieved.Select((p, i) => (labels.TryGetValue(p, out var l) ? EsciLabels.Gain(l) : 0) / Math.Log2(i + 2)).Sum();
            double ideal = labels.Values.Select(EsciLabels.Gain).OrderDescending().Take(retrieved.Length).Select((g, i) => g / Math.Log2(i + 2)).Sum();
            if (ideal > 0)
            {
                ndcg += dcg / ideal;
                ndcgQueries++;
            }
        }

        return new EsciMetrics(judged.Length, result.K, Ratio(exactFound, exact), Ratio(substituteFound, substitute), ndcgQueries == 0 ? 0 : ndcg / ndcgQueries, exact, substitute);
    }

    /// <summary>Unit-norm query embeddings, row i = text i: the featurizer's counts through the exported query tower.</summary>
    public static float[] EmbedQueries(EsciTextModel model, IReadOnlyList<string> texts)
    {
        using var tower = new TextTowerSession(model.QueryTower);
        return tower.Embed(model.Featurizer.Featurize(texts)).Values.ToArray();
    }

    private static double Ratio(long found, long total) => total == 0 ? 0 : (double)found / total;
}
