using System.Numerics.Tensors;
using HierRetrieval.Data.Hierarchies;
using HierRetrieval.Retrieval;

namespace HierRetrieval.Construction;

/// <summary>
/// The constructive embedding of Theorem 3.1: draw x̂_j ~ N(0, I_d) for every node j; the document embedding of j
/// is x̂_j / |x̂_j|, and the query embedding of q is the normalised sum of x̂_j over its match set S(q).
/// With d = O(max(s log m, ε⁻² log m)) (s = max |S(q)|, m = nodes), matches score above a threshold and
/// non-matches below it with high probability.
/// </summary>
public static class GaussianConstruction
{
    /// <summary>Builds the embeddings of every node of <paramref name="hierarchy"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="dimension"/> is below 1.</exception>
    public static NodeEmbeddings Build(Hierarchy hierarchy, int dimension, int seed)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(dimension, 1);
        int n = hierarchy.Count;
        var raw = new EmbeddingMatrix(n, dimension);
        FillStandardNormal(raw.Values, new Random(seed));
        var queries = new EmbeddingMatrix(n, dimension);
        var closure = hierarchy.Closure;
        for (int q = 0; q < n; q++)
        {
            var sum = queries.Row(q);
            raw.Row(q).CopyTo(sum);
            foreach (int ancestor in closure.AncestorsOf(q))
            {
                TensorPrimitives.Add(sum, raw.Row(ancestor), sum);
            }
        }

        return new NodeEmbeddings(queries.NormalizeRows(), raw.NormalizeRows());
    }

    /// <summary>Standard normal values by the Box–Muller transform (two values per pair of uniforms).</summary>
    private static void FillStandardNormal(Span<float> values, Random random)
    {
        for (int i = 0; i < values.Length; i += 2)
        {
            double u1 = 1.0 - random.NextDouble();
            double u2 = random.NextDouble();
            double radius = Math.Sqrt(-2.0 * Math.Log(u1));
            values[i] = (float)(radius * Math.Cos(2 * Math.PI * u2));
            if (i + 1 < values.Length)
            {
                values[i + 1] = (float)(radius * Math.Sin(2 * Math.PI * u2));
            }
        }
    }
}
