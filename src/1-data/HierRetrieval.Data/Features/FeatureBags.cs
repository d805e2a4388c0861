namespace HierRetrieval.Data.Features;

/// <summary>
/// The sparse features of every item, as compressed rows: item i holds features
/// <c>Features[Offsets[i]..Offsets[i + 1]]</c> with weights (counts) <c>Weights[...]</c>. A text tower reads these;
/// they come from a featurizer (word and character n-gram counts of the item's text).
/// </summary>
public sealed class FeatureBags
{
    /// <summary>Checks and wraps the arrays.</summary>
    /// <exception cref="ArgumentException">The arrays are inconsistent, or a feature is outside [0, <paramref name="featureCount"/>).</exception>
    public FeatureBags(int featureCount, int[] offsets, int[] features, float[] weights)
    {
        if (offsets.Length == 0 || offsets[0] != 0 || offsets[^1] != features.Length || features.Length != weights.Length)
        {
            throw new ArgumentException("offsets must start at 0 and end at the number of features, with one weight per feature", nameof(offsets));
        }

        for (int i = 1; i < offsets.Length; i++)
        {
            if (offsets[i] < offsets[i - 1])
            {
                throw new ArgumentException($"offsets decrease at item {i - 1}", nameof(offsets));
            }
        }

        if (features.Any(f => (uint)f >= (uint)featureCount))
        {
            throw new ArgumentException($"a feature is outside [0, {featureCount})", nameof(features));
        }

        FeatureCount = featureCount;
        Offsets = offsets;
        Features = features;
        Weights = weights;
    }

    /// <summary>Number of distinct features (the embedding bag's rows).</summary>
    public int FeatureCount { get; }

    /// <summary>Number of items.</summary>
    public int ItemCount => Offsets.Length - 1;

    /// <summary>Start of each item's features; one more entry than items.</summary>
    public int[] Offsets { get; }

    /// <summary>Feature ids, item after item.</summary>
    public int[] Features { get; }

    /// <summary>Feature weights (counts), aligned with <see cref="Features"/>.</summary>
    public float[] Weights { get; }
}
