using HierRetrieval.Data.Esci;
using HierRetrieval.Export.Models;
using HierRetrieval.Export.Onnx;
using HierRetrieval.Runtime.Text;
using HierRetrieval.Runtime.Zips;
using HierRetrieval.Retrieval;
using Microsoft.ML;

namespace HierRetrieval.Runtime.Shopping;

/// <summary>A shopping model of text towers learned from scratch: the featurizer and the two towers' weights.</summary>
public sealed record EsciTextModel(
    TextFeaturizer Featurizer, TextTowerWeights QueryTower, TextTowerWeights DocumentTower, IReadOnlyList<string> ProductIds, EmbeddingMatrix Products, IReadOnlyList<ProductField> ProductFields)
    : EsciModel(ProductIds, Products, ProductFields)
{
    /// <inheritdoc/>
    public override void Save(MLContext mlContext, string path, int k)
    {
        var exported = ExportedTextRetrievalModel.FromWeights(QueryTower, DocumentTower, ProductIds, Products, Math.Min(k, ProductIds.Count), Notes);
        RetrievalModelZip.Save(mlContext, TextRetrievalChain.Create(mlContext, Featurizer, exported), Featurizer.InputColumnName, path);
    }

    /// <summary>Unit-norm query embeddings of <paramref name="texts"/>, row i = text i: the featurizer's counts through the exported query tower.</summary>
    public override EmbeddingMatrix EmbedQueries(IReadOnlyList<string> texts)
    {
        using var tower = new TextTowerSession(QueryTower);
        return tower.Embed(Featurizer.Featurize(texts));
    }
}
