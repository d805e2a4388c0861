using HierRetrieval.Data.Esci;
using HierRetrieval.Retrieval;
using HierRetrieval.Retrieval.Exact;

namespace HierRetrieval.Evaluation.Shopping;

/// <summary>Retrieval quality by ESCI label: recall@k of Exact and of Substitute judgements, and NDCG@k with ESCI gains.</summary>
/// <param name="Queries">Queries evaluated.</param>
/// <param name="K">Products retrieved per query.</param>
/// <param name="ExactRecall">Exact judgements whose product is in the top k, over all Exact judgements.</param>
/// <param name="SubstituteRecall">The same for Substitute judgements.</param>
/// <param name="Ndcg">Mean NDCG@k with gains E 1.0, S 0.1, C 0.01, I 0 (unjudged products gain 0), over queries with a positive gain.</param>
/// <param name="ExactPairs">Exact judgements evaluated.</param>
/// <param name="SubstitutePairs">Substitute judgements evaluated.</param>
public sealed record EsciMetrics(int Queries, int K, double ExactRecall, double SubstituteRecall, double Ndcg, long ExactPairs, long SubstitutePairs);

/// <summary>
/// Evaluates query and product embeddings on judgements: every query retrieves its top k among the products, scored
/// by label. Models supply the embeddings (the scoring runtime's text models do it in batched ONNX Runtime calls).
/// </summary>
public static class EsciEvaluator
{
    /// <summary>Embeds the judged queries of <paramref name="test"/> with <paramref name="embedQueries"/>, searches <paramref name="products"/>, and scores by label.</summary>
    /// <param name="embedQueries">Unit-norm query embeddings of texts, row i = text i.</param>
    /// <param name="productIds">Product id of each row of <paramref name="products"/>.</param>
    /// <param name="products">Unit-norm product embeddings.</param>
    /// <param name="test">The judgements to evaluate.</param>
    /// <param name="k">Products retrieved per query.</param>
    /// <param name="indexes">The index to search; null uses an exact index on all cores.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="k"/> is below 1.</exception>
    public static EsciMetrics Evaluate(Func<IReadOnlyList<string>, EmbeddingMatrix> embedQueries, IReadOnlyList<string> productIds, EmbeddingMatrix products, EsciDataset test, int k, IVectorIndexFactory? indexes = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(k, 1);
        var judged = test.Judgements.GroupBy(j => j.QueryId).Select(g => (Query: g.First().Query, Labels: g.GroupBy(j => j.ProductId).ToDictionary(p => p.Key, p => p.First().Label))).ToArray();
        var queries = embedQueries([.. judged.Select(j => j.Query)]);
        using var index = (indexes ?? ExactIndexFactory.AllCores).CreateIndex(products.Dimension);
        index.Add(products.Values);
        var result = index.Search(queries.Values, Math.Min(k, products.Rows));
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

    private static double Ratio(long found, long total) => total == 0 ? 0 : (double)found / total;
}
