using HierRetrieval.Export.Models;
using HierRetrieval.Export.Onnx;
using HierRetrieval.MLNet.Evaluation;
using HierRetrieval.Runtime.Zips;
using Microsoft.ML;

namespace HierRetrieval.MLNet;

/// <summary>The entry point: <c>mlContext.HierarchicalRetrieval()</c>.</summary>
public static class MLContextExtensions
{
    /// <summary>The hierarchical-retrieval catalog: trainers, tower transforms and the evaluator.</summary>
    public static HierarchicalRetrievalCatalog HierarchicalRetrieval(this MLContext mlContext)
    {
        ArgumentNullException.ThrowIfNull(mlContext);
        return new HierarchicalRetrievalCatalog(mlContext);
    }
}

/// <summary>Hierarchical retrieval in ML.NET's catalog style: <see cref="Trainers"/>, <see cref="Transforms"/>, <see cref="Evaluate"/>.</summary>
public sealed class HierarchicalRetrievalCatalog
{
    internal HierarchicalRetrievalCatalog(MLContext mlContext)
    {
        Trainers = new HierarchicalRetrievalTrainers(mlContext);
        Transforms = new HierarchicalRetrievalTransforms(mlContext);
    }

    /// <summary>Estimators that train dual encoders.</summary>
    public HierarchicalRetrievalTrainers Trainers { get; }

    /// <summary>Transforms that embed queries or documents with exported towers.</summary>
    public HierarchicalRetrievalTransforms Transforms { get; }

    /// <summary>
    /// Evaluates retrieved documents against labelled pairs: each row of <paramref name="data"/> is one relevant
    /// (query, document) pair, with the retrieved top-k of its query (the output of a <see cref="DualEncoderTransformer"/>).
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">A column is missing or mistyped.</exception>
    public RetrievalMetrics Evaluate(IDataView data, RetrievalEvaluatorOptions? options = null) =>
        RetrievalEvaluator.Evaluate(data, options ?? new RetrievalEvaluatorOptions());
}

/// <summary>Dual-encoder trainers.</summary>
public sealed class HierarchicalRetrievalTrainers
{
    private readonly MLContext _mlContext;

    internal HierarchicalRetrievalTrainers(MLContext mlContext) => _mlContext = mlContext;

    /// <summary>A lookup-table dual encoder trained with the recipe in <paramref name="options"/> (pretrain-finetune by default).</summary>
    /// <exception cref="ArgumentException">An option is out of range.</exception>
    public DualEncoderEstimator DualEncoder(DualEncoderOptions options) => new(_mlContext, options);

    /// <summary>A text dual encoder: text towers trained from scratch on the query and document texts, which embed unseen queries too.</summary>
    /// <exception cref="ArgumentException">An option is out of range.</exception>
    public TextDualEncoderEstimator TextDualEncoder(TextDualEncoderOptions options) => new(_mlContext, options);

    /// <summary>A lookup-table dual encoder with default settings on the given columns.</summary>
    public DualEncoderEstimator DualEncoder(string queryColumnName = "Query", string documentColumnName = "Document", string distanceColumnName = "Distance", int dimension = 64) =>
        new(_mlContext, new DualEncoderOptions
        {
            QueryColumnName = queryColumnName,
            DocumentColumnName = documentColumnName,
            DistanceColumnName = distanceColumnName,
            Trainer = new Training.DualEncoderTrainerOptions { Dimension = dimension },
        });
}

/// <summary>Transforms that embed text columns of names with an exported tower.</summary>
public sealed class HierarchicalRetrievalTransforms
{
    private readonly MLContext _mlContext;

    internal HierarchicalRetrievalTransforms(MLContext mlContext) => _mlContext = mlContext;

    /// <summary>
    /// Embeds the names in <paramref name="inputColumnName"/> with a query tower into <paramref name="outputColumnName"/>
    /// (a float vector; zeros for a name outside the tower's vocabulary). Persists like any built-in.
    /// </summary>
    /// <exception cref="ArgumentException">The tower is a document tower.</exception>
    public IEstimator<ITransformer> EmbedQueries(ExportedTower tower, string outputColumnName = "QueryEmbedding", string inputColumnName = "Query") =>
        Embed(tower, TowerRole.Query, outputColumnName, inputColumnName);

    /// <summary>Embeds the names in <paramref name="inputColumnName"/> with a document tower, as <see cref="EmbedQueries"/>.</summary>
    /// <exception cref="ArgumentException">The tower is a query tower.</exception>
    public IEstimator<ITransformer> EmbedDocuments(ExportedTower tower, string outputColumnName = "DocumentEmbedding", string inputColumnName = "Document") =>
        Embed(tower, TowerRole.Document, outputColumnName, inputColumnName);

    private IEstimator<ITransformer> Embed(ExportedTower tower, TowerRole role, string outputColumnName, string inputColumnName)
    {
        if (tower.Role != role)
        {
            throw new ArgumentException($"expected a {role.ToString().ToLowerInvariant()} tower, found a {tower.Role.ToString().ToLowerInvariant()} tower", nameof(tower));
        }

        return OnnxChains.NamesToIds(_mlContext, tower.Vocabulary, inputColumnName)
            .Append(OnnxChains.Apply(_mlContext, tower.OnnxModel, OnnxModelMetadata.ItemName, OnnxModelMetadata.EmbeddingName))
            .Append(OnnxChains.Publish(_mlContext, [(outputColumnName, OnnxModelMetadata.EmbeddingName)], OnnxModelMetadata.ItemName, OnnxModelMetadata.EmbeddingName));
    }
}
