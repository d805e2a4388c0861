using HierRetrieval.Runtime.Text;
using HierRetrieval.Runtime.Text.Backbones;
using HierRetrieval.Training.Towers;

namespace HierRetrieval.MLNet;

/// <summary>
/// Settings of the <see cref="TextDualEncoderEstimator"/>: the columns, recipe and top-k of <see cref="DualEncoderOptions"/>
/// (the query and document columns hold text), plus either text towers learned from scratch (their shape and
/// features) or heads over a pretrained sentence encoder (<see cref="Backbone"/>).
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

    /// <summary>
    /// A pretrained sentence encoder (for example <c>PackagedSentenceEncoders.Get("minilm")</c> from
    /// HierRetrieval.Backbones, or <see cref="SentenceEncoderModel.LoadFolder"/>) whose frozen embeddings of the texts
    /// feed trainable query and document heads (<see cref="Heads"/>), instead of text towers learned from scratch; null
    /// (the default) learns from scratch. The fitted zip carries the encoder.
    /// </summary>
    public SentenceEncoderModel? Backbone { get; init; }

    /// <summary>The heads over <see cref="Backbone"/>. Per-item vectors (hybrid towers) are not available here: a new query text has no item of its own.</summary>
    public BackboneTowerOptions Heads { get; init; } = new();

    /// <summary>Folder of <see cref="Backbone"/>'s embedding cache (each text encoded once across fits); null encodes at every fit.</summary>
    public string? EmbeddingCache { get; init; }
}
