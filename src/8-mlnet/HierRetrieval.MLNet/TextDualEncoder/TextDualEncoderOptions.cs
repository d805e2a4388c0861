using HierRetrieval.Runtime.Text;
using HierRetrieval.Training.Towers;

namespace HierRetrieval.MLNet;

/// <summary>
/// Settings of the <see cref="TextDualEncoderEstimator"/>: the columns, recipe and top-k of <see cref="DualEncoderOptions"/>
/// (the query and document columns hold text), plus the towers' shape and the features.
/// </summary>
public sealed record TextDualEncoderOptions : DualEncoderOptions
{
    /// <summary>The text towers' shape.</summary>
    public TextTowerOptions Towers { get; init; } = new();

    /// <summary>
    /// One tower for queries and documents (shared weights) instead of two. Scores become symmetric, which suits
    /// query-product data better than a hierarchy (where a node's children would score like its parent).
    /// </summary>
    public bool SharedTowers { get; init; }

    /// <summary>Tokenisation and features.</summary>
    public TextFeaturizerOptions Features { get; init; } = new();
}
