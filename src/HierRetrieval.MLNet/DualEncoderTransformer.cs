using HierRetrieval.Data.IO;
using HierRetrieval.Export.Models;
using HierRetrieval.Export.Onnx;
using HierRetrieval.MLNet.Onnx;
using HierRetrieval.MLNet.Schema;
using HierRetrieval.Retrieval;
using HierRetrieval.Training;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace HierRetrieval.MLNet;

/// <summary>
/// A fitted dual encoder: adds the query embedding, the top-k documents and their scores to any view with a query
/// column. Its state lives in ML.NET built-ins (MapValue tables for the vocabulary and the document names,
/// ApplyOnnxModel with the exported retrieval graph), so <c>mlContext.Model.Save</c> writes one self-contained zip;
/// <c>mlContext.Model.Load</c> gives back that chain (a <see cref="TransformerChain{TLastTransformer}"/>, not this
/// type) with identical results.
/// </summary>
/// <remarks>
/// A query outside the vocabulary gets a zero embedding, scores of 0 and the first k documents: the graph never
/// looks it up. Bulk scoring (<see cref="Scoring.BatchScorer"/>) reports such queries instead.
/// </remarks>
public sealed class DualEncoderTransformer : ITransformer, IDisposable
{
    private readonly ITransformer _chain;
    private readonly ColumnRequirement _queryColumn;

    private DualEncoderTransformer(ITransformer chain, ColumnRequirement queryColumn, ExportedRetrievalModel model, NodeEmbeddings embeddings, IReadOnlyList<string> vocabulary, TrainingResult? training)
    {
        _chain = chain;
        _queryColumn = queryColumn;
        RetrievalModel = model;
        QueryTower = ExportedTower.FromTable(TowerRole.Query, vocabulary, embeddings.Queries);
        DocumentTower = ExportedTower.FromTable(TowerRole.Document, vocabulary, embeddings.Documents);
        Training = training;
    }

    /// <summary>The exported retrieval graph with its vocabulary and document names (what the zip carries).</summary>
    public ExportedRetrievalModel RetrievalModel { get; }

    /// <summary>The query tower as a standalone ONNX model, for <see cref="HierarchicalRetrievalTransforms.EmbedQueries"/>.</summary>
    public ExportedTower QueryTower { get; }

    /// <summary>The document tower as a standalone ONNX model, for <see cref="HierarchicalRetrievalTransforms.EmbedDocuments"/>.</summary>
    public ExportedTower DocumentTower { get; }

    /// <summary>What training reported (curve, stages, throughput); null for a transformer built from saved embeddings.</summary>
    public TrainingResult? Training { get; }

    /// <inheritdoc/>
    public bool IsRowToRowMapper => _chain.IsRowToRowMapper;

    /// <summary>
    /// A transformer over trained embeddings: node i is named <paramref name="names"/>[i] on both sides (a lookup-table
    /// dual encoder over one hierarchy). Used by Fit and by tools that train outside ML.NET.
    /// </summary>
    /// <exception cref="ArgumentException">Names and embeddings differ in number, a name repeats, or TopK is out of range.</exception>
    public static DualEncoderTransformer Create(MLContext mlContext, IReadOnlyList<string> names, NodeEmbeddings embeddings, DualEncoderOptions? options = null, TrainingResult? training = null)
    {
        options ??= new DualEncoderOptions();
        if (options.TopK < 1 || options.TopK > names.Count)
        {
            throw new ArgumentException($"TopK must be between 1 and the number of documents ({names.Count}), found {options.TopK}", nameof(options));
        }

        var model = ExportedRetrievalModel.FromEmbeddings(names, embeddings.Queries, names, embeddings.Documents, options.TopK);
        var chain = OnnxChains.NamesToIds(mlContext, model.QueryVocabulary, options.QueryColumnName)
            .Append(OnnxChains.Apply(mlContext, model.OnnxModel, OnnxModelMetadata.ItemName, OnnxModelMetadata.EmbeddingName, OnnxModelMetadata.ScoresName, OnnxModelMetadata.DocumentsName))
            .Append(OnnxChains.RowsToNames(mlContext, model.DocumentNames, options.DocumentsColumnName, OnnxModelMetadata.DocumentsName))
            .Append(OnnxChains.Publish(
                mlContext,
                [(options.QueryEmbeddingColumnName, OnnxModelMetadata.EmbeddingName), (options.ScoresColumnName, OnnxModelMetadata.ScoresName)],
                OnnxModelMetadata.ItemName,
                OnnxModelMetadata.EmbeddingName,
                OnnxModelMetadata.ScoresName,
                OnnxModelMetadata.DocumentsName));
        return new DualEncoderTransformer(OnnxChains.FitOnText(mlContext, chain, options.QueryColumnName), QueryColumn(options), model, embeddings, names, training);
    }

    /// <summary>Saves the model zip atomically, with an input schema of one text column, <paramref name="queryColumnName"/>.</summary>
    public void Save(MLContext mlContext, string path, string queryColumnName = "Query") =>
        AtomicFile.Write(path, stream => mlContext.Model.Save(this, OnnxChains.TextSchema(queryColumnName), stream));

    /// <inheritdoc/>
    /// <exception cref="ArgumentOutOfRangeException">The query column is missing or not text.</exception>
    public DataViewSchema GetOutputSchema(DataViewSchema inputSchema)
    {
        _queryColumn.CheckIn(inputSchema);
        return _chain.GetOutputSchema(inputSchema);
    }

    /// <inheritdoc/>
    public IRowToRowMapper GetRowToRowMapper(DataViewSchema inputSchema)
    {
        _queryColumn.CheckIn(inputSchema);
        return _chain.GetRowToRowMapper(inputSchema);
    }

    /// <inheritdoc/>
    /// <exception cref="ArgumentOutOfRangeException">The query column is missing or not text.</exception>
    public IDataView Transform(IDataView input)
    {
        _queryColumn.CheckIn(input.Schema);
        return _chain.Transform(input);
    }

    /// <summary>Saves the inner chain of built-ins (what <c>mlContext.Model.Save</c> calls).</summary>
    void ICanSaveModel.Save(ModelSaveContext ctx) => _chain.Save(ctx);

    /// <summary>Releases the ONNX Runtime sessions of the chain.</summary>
    public void Dispose() => (_chain as IDisposable)?.Dispose();


    /// <summary>The column the transformer needs from the data it transforms.</summary>
    internal static ColumnRequirement QueryColumn(DualEncoderOptions options) => ColumnRequirement.Text(options.QueryColumnName, "query");
}
