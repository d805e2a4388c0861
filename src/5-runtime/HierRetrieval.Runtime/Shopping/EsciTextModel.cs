using HierRetrieval.Data.Esci;
using HierRetrieval.Export.Models;
using HierRetrieval.Export.Onnx;
using HierRetrieval.Evaluation.Shopping;
using HierRetrieval.Runtime.Scoring;
using HierRetrieval.Runtime.Text;
using HierRetrieval.Runtime.Zips;
using HierRetrieval.Retrieval;
using Microsoft.ML;

namespace HierRetrieval.Runtime.Shopping;

/// <summary>
/// A trained shopping model: the featurizer, the two text towers' weights, and the embedded product corpus
/// (row i = <see cref="ProductIds"/>[i]).
/// </summary>
public sealed record EsciTextModel(
    TextFeaturizer Featurizer, TextTowerWeights QueryTower, TextTowerWeights DocumentTower, IReadOnlyList<string> ProductIds, EmbeddingMatrix Products, IReadOnlyList<ProductField> ProductFields)
{
    /// <summary>The note under which a saved model records its product text fields.</summary>
    public const string ProductFieldsNote = "esci.product_fields";

    /// <summary>The product fields a saved model records, or null when it records none.</summary>
    /// <exception cref="InvalidDataException">The note names an unknown field.</exception>
    public static IReadOnlyList<ProductField>? RecordedProductFields(ExportedTextModel model) =>
        model.Notes.TryGetValue(ProductFieldsNote, out string? fields)
            ? [.. fields.Split(',').Select(f => Enum.TryParse<ProductField>(f, out var field) ? field : throw new InvalidDataException($"the model records an unknown product field '{f}'"))]
            : null;

    /// <summary>
    /// Saves the model as an ML.NET zip (atomically): text column <c>Query</c> in; <c>QueryEmbedding</c>, the top
    /// <paramref name="k"/> product ids in <c>Documents</c> and <c>Scores</c> out. The zip also carries the document
    /// tower, so <see cref="Scoring.TextBatchScorer"/> can embed a new products file.
    /// </summary>
    public void Save(MLContext mlContext, string path, int k)
    {
        var notes = new Dictionary<string, string> { [ProductFieldsNote] = string.Join(',', ProductFields) };
        var exported = ExportedTextRetrievalModel.FromWeights(QueryTower, DocumentTower, ProductIds, Products, Math.Min(k, ProductIds.Count), notes);
        RetrievalModelZip.Save(mlContext, TextRetrievalChain.Create(mlContext, Featurizer, exported), Featurizer.InputColumnName, path);
    }

    /// <summary>Unit-norm query embeddings of <paramref name="texts"/>, row i = text i: the featurizer's counts through the exported query tower.</summary>
    public EmbeddingMatrix EmbedQueries(IReadOnlyList<string> texts)
    {
        using var tower = new TextTowerSession(QueryTower);
        return tower.Embed(Featurizer.Featurize(texts));
    }

    /// <summary>
    /// Recall@k by ESCI label and NDCG@k of a saved text model: the products of <paramref name="test"/> (its products
    /// file) are embedded with the zip's document tower, its queries with the query tower.
    /// </summary>
    public static EsciMetrics EvaluateSaved(ITextModelScorer saved, EsciDataset test, int k, IVectorIndexFactory? indexes = null)
    {
        var productIds = test.ProductIds;
        var products = saved.EmbedDocuments([.. productIds.Select(id => test.ProductTexts[id])]);
        return EsciEvaluator.Evaluate(saved.EmbedQueries, productIds, products, test, k, indexes);
    }

    /// <summary>Recall@k by ESCI label and NDCG@k of <paramref name="test"/>'s queries, retrieving among this model's products.</summary>
    public EsciMetrics Evaluate(EsciDataset test, int k, IVectorIndexFactory? indexes = null) =>
        EsciEvaluator.Evaluate(EmbedQueries, ProductIds, Products, test, k, indexes);
}
