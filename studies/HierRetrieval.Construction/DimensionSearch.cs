using HierRetrieval.Data.Hierarchies;
using HierRetrieval.Data.Pairs;
using HierRetrieval.Evaluation;

namespace HierRetrieval.Construction;

/// <summary>Settings of the search for the smallest dimension at which the construction reaches a target recall.</summary>
public sealed record DimensionSearchOptions
{
    /// <summary>Overall recall@|S(q)| to reach.</summary>
    public double TargetRecall { get; init; } = 0.95;

    /// <summary>Constructions (seeds 0..Seeds-1) whose recall is averaged at each dimension.</summary>
    public int Seeds { get; init; } = 3;

    /// <summary>The search gives up above this dimension.</summary>
    public int MaxDimension { get; init; } = 8192;

    /// <summary>Worker threads of the evaluation.</summary>
    public int Threads { get; init; } = Environment.ProcessorCount;
}

/// <summary>The smallest dimension found and the mean recall reached there.</summary>
public sealed record DimensionSearchResult(int Dimension, double Recall);

/// <summary>
/// Finds the smallest dimension d at which the mean overall recall@|S(q)| of the construction (over several seeds,
/// all pairs of the closure) reaches the target: d = 1, 2, 4, ... until the target is met, then bisection between
/// the last miss and the first hit (recall is taken to grow with d).
/// </summary>
public static class DimensionSearch
{
    /// <summary>Runs the search on <paramref name="hierarchy"/>.</summary>
    /// <exception cref="InvalidOperationException">The target is not reached at <see cref="DimensionSearchOptions.MaxDimension"/>.</exception>
    public static DimensionSearchResult Smallest(Hierarchy hierarchy, DimensionSearchOptions options)
    {
        var pairs = PairSet.All(hierarchy.Closure);
        var evaluator = new HierarchyEvaluator(new HierarchyEvaluatorOptions { Threads = options.Threads });
        var cache = new Dictionary<int, double>();
        double Recall(int d)
        {
            if (!cache.TryGetValue(d, out double recall))
            {
                recall = Enumerable.Range(0, options.Seeds)
                    .Average(seed => evaluator.Evaluate(hierarchy.Closure, GaussianConstruction.Build(hierarchy, d, seed), pairs).Overall);
                cache[d] = recall;
            }

            return recall;
        }

        int hit = 1;
        while (Recall(hit) < options.TargetRecall)
        {
            if (hit >= options.MaxDimension)
            {
                throw new InvalidOperationException($"recall {options.TargetRecall:P0} not reached at d = {options.MaxDimension}");
            }

            hit = Math.Min(hit * 2, options.MaxDimension);
        }

        int miss = hit / 2;
        while (hit - miss > 1)
        {
            int mid = (miss + hit) / 2;
            if (Recall(mid) >= options.TargetRecall)
            {
                hit = mid;
            }
            else
            {
                miss = mid;
            }
        }

        return new DimensionSearchResult(hit, Recall(hit));
    }
}
