using HierRetrieval.Export.Models;
using HierRetrieval.Export.Onnx;
using HierRetrieval.Runtime.Text;
using Microsoft.ML;

namespace HierRetrieval.Runtime.Zips;

/// <summary>
/// A text dual encoder as an ML.NET transformer of built-ins: the fitted featurizer on the query column, ApplyOnnxModel
/// with the text retrieval graph, and MapValue from document rows to document ids. Its zip embeds raw query text and
/// retrieves with no other files; <see cref="Scoring.TextBatchScorer"/> reads the same zip for bulk work.
/// </summary>
public static class TextRetrievalChain
{
    /// <summary>Adds the query embedding, the top-k document ids and their scores to a view with the featurizer's text column.</summary>
    public static ITransformer Create(MLContext mlContext, TextFeaturizer featurizer, ExportedTextRetrievalModel model, RetrievalColumns? columns = null)
    {
        columns ??= new RetrievalColumns { Query = featurizer.InputColumnName };
        var head = OnnxChains.RetrievalHead(mlContext, model.OnnxModel, TextTowerOnnx.FeaturesName, model.DocumentNames, columns);
        return featurizer.Then(head);
    }
}
