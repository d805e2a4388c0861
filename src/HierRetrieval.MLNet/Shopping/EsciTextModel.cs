using HierRetrieval.Data.IO;
using HierRetrieval.Export.Models;
using HierRetrieval.Export.Onnx;
using HierRetrieval.MLNet.Onnx;
using HierRetrieval.MLNet.Text;
using HierRetrieval.Retrieval;
using Microsoft.ML;

namespace HierRetrieval.MLNet.Shopping;

/// <summary>
/// A trained shopping model: the featurizer, the two text towers' weights, and the embedded product corpus
/// (row i = <see cref="ProductIds"/>[i]).
/// </summary>
public sealed record EsciTextModel(
    TextFeaturizer Featurizer, TextTowerWeights QueryTower, TextTowerWeights DocumentTower, IReadOnlyList<string> ProductIds, EmbeddingMatrix Products)
{
    /// <summary>
    /// Saves the model as an ML.NET zip (atomically): text column <c>Query</c> in; <c>QueryEmbedding</c>, the top
    /// <paramref name="k"/> product ids in <c>Documents</c> and <c>Scores</c> out. The zip also carries the document
    /// tower, so <see cref="Scoring.TextBatchScorer"/> can embed a new products file.
    /// </summary>
    public void Save(MLContext mlContext, string path, int k)
    {
        var exported = ExportedTextRetrievalModel.FromWeights(QueryTower, DocumentTower, ProductIds, Products, Math.Min(k, ProductIds.Count));
        var chain = TextRetrievalChain.Create(mlContext, Featurizer, exported);
        AtomicFile.Write(path, stream => mlContext.Model.Save(chain, OnnxChains.TextSchema(Featurizer.InputColumnName), stream));
    }
}
