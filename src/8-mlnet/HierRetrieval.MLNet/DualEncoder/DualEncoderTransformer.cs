using HierRetrieval.Export.Models;
using HierRetrieval.Retrieval;
using HierRetrieval.Runtime.Zips;
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
/// looks it up. Bulk scoring (<see cref="Runtime.Scoring.BatchScorer"/>) reports such queries instead.
/// </remarks>
public sealed class DualEncoderTransformer : RetrievalTransformer
{
    private readonly Lazy<ExportedTower> _queryTower;
    private readonly Lazy<ExportedTower> _documentTower;

    private DualEncoderTransformer(ITransformer chain, string queryColumnName, ExportedRetrievalModel model, NodeEmbeddings embeddings, IReadOnlyList<string> vocabulary, TrainingResult? training)
        : base(chain, queryColumnName)
    {
        RetrievalModel = model;

        // Built on first use: serializing each table costs as much as the zip itself, and fitting or saving needs neither.
        _queryTower = new(model.QueryTower);
        _documentTower = new(() => ExportedTower.FromTable(TowerRole.Document, vocabulary, embeddings.Documents));
        Training = training;
    }

    /// <summary>The exported retrieval graph with its vocabulary and document names (what the zip carries).</summary>
    public ExportedRetrievalModel RetrievalModel { get; }

    /// <summary>The query tower as a standalone ONNX model, for <see cref="HierarchicalRetrievalTransforms.EmbedQueries"/>.</summary>
    public ExportedTower QueryTower => _queryTower.Value;

    /// <summary>The document tower as a standalone ONNX model, for <see cref="HierarchicalRetrievalTransforms.EmbedDocuments"/>.</summary>
    public ExportedTower DocumentTower => _documentTower.Value;

    /// <summary>What training reported (curve, stages, throughput); null for a transformer built from saved embeddings.</summary>
    public TrainingResult? Training { get; }

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

        var (chain, model) = LookupRetrievalChain.FromEmbeddings(mlContext, names, embeddings, options.TopK, options.Columns);
        return new DualEncoderTransformer(chain, options.QueryColumnName, model, embeddings, names, training);
    }
}
