using HierRetrieval.Export.Models;
using HierRetrieval.Training;
using Microsoft.ML;

namespace HierRetrieval.MLNet;

/// <summary>
/// A fitted text dual encoder: embeds the raw text of the query column (featurizer of built-ins then the text
/// retrieval graph, or tokenizer, sentence encoder and head graph) and retrieves the top-k documents. Saves and
/// reloads like <see cref="DualEncoderTransformer"/>; <see cref="Runtime.Scoring.TextModelScorers.Open(string, int)"/> reads the
/// same zip for bulk work.
/// </summary>
public sealed class TextDualEncoderTransformer : RetrievalTransformer
{
    internal TextDualEncoderTransformer(ITransformer chain, string queryColumnName, ExportedTextModel model, TrainingResult training)
        : base(chain, queryColumnName)
    {
        Model = model;
        Training = training;
    }

    /// <summary>The exported towers or heads, documents and document names (what the zip carries besides a backbone's encoder).</summary>
    public ExportedTextModel Model { get; }

    /// <summary>What training reported (curve, stages, throughput).</summary>
    public TrainingResult Training { get; }
}
