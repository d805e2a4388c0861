using HierRetrieval.Training.Towers;

namespace HierRetrieval.MLNet.Text;

/// <summary>
/// Settings of the <see cref="TextDualEncoderEstimator"/>: the columns, recipe and top-k of <see cref="DualEncoderOptions"/>
/// (the query and document columns hold text), plus the towers' shape and the features.
/// </summary>
public sealed record TextDualEncoderOptions : DualEncoderOptions
{
    /// <summary>The text towers' shape.</summary>
    public TextTowerOptions Towers { get; init; } = new();

    /// <summary>Tokenisation and features.</summary>
    public TextFeaturizerOptions Features { get; init; } = new();
}
