using HierRetrieval.Data.Esci;
using HierRetrieval.Evaluation.Shopping;
using HierRetrieval.Export.Models;
using HierRetrieval.Retrieval;
using HierRetrieval.Runtime.Scoring;
using Microsoft.ML;

namespace HierRetrieval.Runtime.Shopping;

/// <summary>
/// A trained shopping model, whatever its towers: the embedded product corpus (row i = <see cref="ProductIds"/>[i]),
/// the product fields its texts were made of, a query embedder, and a zip writer.
/// </summary>
/// <param name="ProductIds">The products, in row order.</param>
/// <param name="Products">The unit-norm product embeddings.</param>
/// <param name="ProductFields">The product fields that made each product's text.</param>
public abstract record EsciModel(IReadOnlyList<string> ProductIds, EmbeddingMatrix Products, IReadOnlyList<ProductField> ProductFields)
{
    /// <summary>The note under which a saved model records its product text fields.</summary>
    public const string ProductFieldsNote = "esci.product_fields";

    /// <summary>The notes a saved model carries (the product fields).</summary>
    private protected IReadOnlyDictionary<string, string> Notes => new Dictionary<string, string> { [ProductFieldsNote] = string.Join(',', ProductFields) };

    /// <summary>The product fields a saved model records, or null when it records none.</summary>
    /// <exception cref="InvalidDataException">The note names an unknown field.</exception>
    public static IReadOnlyList<ProductField>? RecordedProductFields(ExportedTextModel model) =>
        model.Notes.TryGetValue(ProductFieldsNote, out string? fields)
            ? [.. fields.Split(',').Select(f => Enum.TryParse<ProductField>(f, out var field) ? field : throw new InvalidDataException($"the model records an unknown product field '{f}'"))]
            : null;

    /// <summary>
    /// Recall@k by ESCI label and NDCG@k of a saved text model: the products of <paramref name="test"/> (its products
    /// file) are embedded with the zip's document side, its queries with the query side.
    /// </summary>
    public static EsciMetrics EvaluateSaved(ITextModelScorer saved, EsciDataset test, int k, IVectorIndexFactory? indexes = null)
    {
        var productIds = test.ProductIds;
        var products = saved.EmbedDocuments([.. productIds.Select(id => test.ProductTexts[id])]);
        return EsciEvaluator.Evaluate(saved.EmbedQueries, productIds, products, test, k, indexes);
    }

    /// <summary>Unit-norm query embeddings of <paramref name="texts"/>, row i = text i.</summary>
    public abstract EmbeddingMatrix EmbedQueries(IReadOnlyList<string> texts);

    /// <summary>
    /// Saves the model as an ML.NET zip (atomically): text column <c>Query</c> in; <c>QueryEmbedding</c>, the top
    /// <paramref name="k"/> product ids in <c>Documents</c> and <c>Scores</c> out. The zip also carries the document
    /// side, so <see cref="TextModelScorers.Open(string, int)"/> can embed a new products file.
    /// </summary>
    public abstract void Save(MLContext mlContext, string path, int k);

    /// <summary>Recall@k by ESCI label and NDCG@k of <paramref name="test"/>'s queries, retrieving among this model's products.</summary>
    public EsciMetrics Evaluate(EsciDataset test, int k, IVectorIndexFactory? indexes = null) =>
        EsciEvaluator.Evaluate(EmbedQueries, ProductIds, Products, test, k, indexes);
}
