using HierRetrieval.Data.Datasets;
using HierRetrieval.Data.Hierarchies;
using HierRetrieval.Retrieval;

namespace HierRetrieval.Evaluation.Lexical;

/// <summary>HyperLex result: Spearman's rho over the pairs whose two words both name a node.</summary>
/// <param name="Spearman">rho between model scores and AVG_SCORE over covered pairs.</param>
/// <param name="Pairs">Noun pairs in the file.</param>
/// <param name="Covered">Pairs scored (both words found among the hierarchy's lemmas).</param>
public sealed record HyperLexMetrics(double Spearman, int Pairs, int Covered);

/// <summary>
/// Scores graded "w1 is a type of w2" pairs with a dual encoder: the maximum over the synsets s1 of w1 and s2 of
/// w2 of &lt;query(s1), document(s2)&gt;, then Spearman's rho against the human scores.
/// </summary>
public static class HyperLexEvaluator
{
    /// <summary>Evaluates <paramref name="embeddings"/> (row i = node i of <paramref name="hierarchy"/>) on <paramref name="pairs"/>.</summary>
    /// <exception cref="ArgumentException">The hierarchy has no lemmas, or fewer than two pairs are covered.</exception>
    public static HyperLexMetrics Evaluate(Hierarchy hierarchy, NodeEmbeddings embeddings, IReadOnlyList<HyperLexPair> pairs)
    {
        if (!hierarchy.HasText)
        {
            throw new ArgumentException("the hierarchy has no lemmas to match HyperLex words against (use wordnet-nouns)", nameof(hierarchy));
        }

        var nodesOf = LemmaIndex(hierarchy);
        var predicted = new List<double>();
        var human = new List<double>();
        foreach (var pair in pairs)
        {
            if (nodesOf.TryGetValue(Normalize(pair.Word1), out var hyponyms) && nodesOf.TryGetValue(Normalize(pair.Word2), out var hypernyms))
            {
                predicted.Add(hyponyms.Max(s1 => hypernyms.Max(s2 => Dot(embeddings.Queries.Row(s1), embeddings.Documents.Row(s2)))));
                human.Add(pair.Score);
            }
        }

        if (predicted.Count < 2)
        {
            throw new ArgumentException($"only {predicted.Count} of {pairs.Count} pairs name nodes of the hierarchy: nothing to correlate", nameof(pairs));
        }

        return new HyperLexMetrics(SpearmanCorrelation.Compute(predicted, human), pairs.Count, predicted.Count);
    }

    private static Dictionary<string, List<int>> LemmaIndex(Hierarchy hierarchy)
    {
        var index = new Dictionary<string, List<int>>(StringComparer.Ordinal);
        for (int node = 0; node < hierarchy.Count; node++)
        {
            foreach (string lemma in hierarchy.TextOf(node)!.Lemmas)
            {
                string key = Normalize(lemma);
                if (!index.TryGetValue(key, out var nodes))
                {
                    index[key] = nodes = [];
                }

                nodes.Add(node);
            }
        }

        return index;
    }

    private static string Normalize(string word) => word.Trim().ToLowerInvariant().Replace(' ', '_');

    private static double Dot(ReadOnlySpan<float> a, ReadOnlySpan<float> b) => System.Numerics.Tensors.TensorPrimitives.Dot(a, b);
}
