using HierRetrieval.Runs.Validation;
using HierRetrieval.Runtime.Zips;
using HierRetrieval.Training;
using Microsoft.Extensions.Logging;

namespace HierRetrieval.MLNet;

/// <summary>Settings of the <see cref="DualEncoderEstimator"/>: input and output columns, the training recipe and top-k.</summary>
public record DualEncoderOptions
{
    /// <summary>The text column of queries (in training data and in data to transform).</summary>
    public string QueryColumnName { get; set; } = "Query";

    /// <summary>The text column of matching documents (ancestors) in training data.</summary>
    public string DocumentColumnName { get; set; } = "Document";

    /// <summary>
    /// The numeric column of child -> ancestor distances in training data (1 = parent). Set to null and set
    /// <see cref="FarLabelColumnName"/> instead where distances are absent.
    /// </summary>
    public string? DistanceColumnName { get; set; } = "Distance";

    /// <summary>
    /// A Boolean column that marks far pairs (true) and near pairs (false), used where distances are absent: near pairs
    /// count as distance 1, far pairs as <see cref="DualEncoderTrainerOptions.FarThreshold"/>, so pretrain-finetune
    /// finetunes on the far ones.
    /// </summary>
    public string? FarLabelColumnName { get; set; }

    /// <summary>
    /// An optional Boolean column marking pairs that are known matches but are held out of training (e.g. a test
    /// split): they are never used as training pairs, and false-negative masking never treats them as negatives.
    /// Null trains on every row.
    /// </summary>
    public string? HeldOutColumnName { get; set; }

    /// <summary>The output column of query embeddings (float vector of the embedding dimension).</summary>
    public string QueryEmbeddingColumnName { get; set; } = "QueryEmbedding";

    /// <summary>The output column of the top-k document names, best first.</summary>
    public string DocumentsColumnName { get; set; } = "Documents";

    /// <summary>The output column of the top-k cosine scores, descending.</summary>
    public string ScoresColumnName { get; set; } = "Scores";

    /// <summary>How many documents the transformer retrieves per query.</summary>
    public int TopK { get; set; } = 10;

    /// <summary>Fraction of the non-self pairs held out to validate (early stopping); 0 trains on all of them.</summary>
    public double ValidationFraction { get; set; } = 0.05;

    /// <summary>The trainer's settings: dimension, stages (steps, learning rates, temperatures), negatives, seed, threads, device.</summary>
    public DualEncoderTrainerOptions Trainer { get; set; } = new();

    /// <summary>Which validation queries each validation point evaluates.</summary>
    public ValidationOptions Validation { get; set; } = new();

    /// <summary>Where to keep a resumable checkpoint during Fit; null runs without one.</summary>
    public string? CheckpointPath { get; set; }

    /// <summary>Receives training logs (stages, validation points); null logs nothing.</summary>
    public ILogger? Logger { get; set; }

    /// <summary>Receives progress after every training step.</summary>
    public IProgress<TrainingProgress>? Progress { get; set; }

    /// <summary>The query column and the output columns, as the retrieval chains name them.</summary>
    internal RetrievalColumns Columns => new()
    {
        Query = QueryColumnName,
        QueryEmbedding = QueryEmbeddingColumnName,
        Documents = DocumentsColumnName,
        Scores = ScoresColumnName,
    };
}
