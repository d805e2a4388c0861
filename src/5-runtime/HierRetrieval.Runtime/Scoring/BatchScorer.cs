using HierRetrieval.Data.IO;
using HierRetrieval.Export.Models;
using HierRetrieval.Export.Onnx;
using HierRetrieval.Runtime.Onnx;
using HierRetrieval.Retrieval;
using HierRetrieval.Retrieval.Exact;
using Microsoft.ML.OnnxRuntime;

namespace HierRetrieval.Runtime.Scoring;

/// <summary>
/// Bulk retrieval with an exported model: query names to ids, one batched ONNX Runtime call of the query tower (the
/// tower alone, not the retrieval graph) per batch, then the exact index's batched top-k over the document embeddings. The per-row ApplyOnnxModel path gives
/// the same documents; this one is for files of many queries.
/// </summary>
public sealed class BatchScorer : IQuerySearcher
{
    private static readonly string[] InputNames = [OnnxModelMetadata.ItemName];
    private static readonly string[] OutputNames = [OnnxModelMetadata.EmbeddingName];
    private readonly InferenceSession _session;
    private readonly RunOptions _run = new();
    private readonly IVectorIndex _index;
    private readonly Dictionary<string, long> _ids;
    private readonly ExportedRetrievalModel _model;

    /// <summary>Prepares the query tower session and the document index.</summary>
    /// <param name="model">The exported model (e.g. from <see cref="Zips.RetrievalModelZip.Read"/>).</param>
    /// <param name="indexes">Creates the document index; null uses an exact index on all cores.</param>
    public BatchScorer(ExportedRetrievalModel model, IVectorIndexFactory? indexes = null)
    {
        _model = model;
        _session = OnnxSessions.Tower(model.QueryTower().OnnxModel);
        _index = (indexes ?? ExactIndexFactory.AllCores).CreateIndex(model.Dimension);
        _index.Add(model.Documents.Values);
        _ids = new Dictionary<string, long>(model.QueryVocabulary.Count, StringComparer.Ordinal);
        for (int i = 0; i < model.QueryVocabulary.Count; i++)
        {
            _ids.Add(model.QueryVocabulary[i], i + 1);
        }
    }

    /// <summary>Embedding dimension.</summary>
    public int Dimension => _model.Dimension;

    /// <summary>Number of documents.</summary>
    public int Documents => _model.Documents.Rows;

    /// <summary>The graph id of <paramref name="query"/>, or false when the model does not know it.</summary>
    public bool TryGetQueryId(string query, out long id) => _ids.TryGetValue(query, out id);

    /// <summary>The name of document row <paramref name="row"/>.</summary>
    public string DocumentName(int row) => _model.DocumentNames[row];

    /// <inheritdoc/>
    string? IQuerySearcher.Refusal(string query) => _ids.ContainsKey(query) ? null : $"query '{TextExcerpt.Of(query)}' is not in the model's vocabulary";

    /// <inheritdoc/>
    SearchResult IQuerySearcher.Search(IReadOnlyList<string> queries, int k, CancellationToken cancellationToken) =>
        Search([.. queries.Select(q => _ids[q])], k, cancellationToken);

    /// <summary>Embeds queries by id with one ONNX Runtime call: row i of the result is query i's unit-norm embedding.</summary>
    public float[] EmbedQueries(long[] ids)
    {
        using var input = OrtValue.CreateTensorValueFromMemory(ids, [ids.Length, 1]);
        using var outputs = _session.Run(_run, InputNames, [input], OutputNames);
        return outputs[0].GetTensorDataAsSpan<float>().ToArray();
    }

    /// <summary>The top <paramref name="k"/> documents of each query id (rows of the document matrix, best first).</summary>
    public SearchResult Search(long[] ids, int k, CancellationToken cancellationToken = default) =>
        _index.Search(EmbedQueries(ids), k, cancellationToken);

    /// <summary>Releases the session and the index.</summary>
    public void Dispose()
    {
        _session.Dispose();
        _run.Dispose();
        _index.Dispose();
    }
}
