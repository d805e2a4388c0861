using HierRetrieval.Export.Models;
using HierRetrieval.Export.Onnx;
using HierRetrieval.Runtime.Text.Backbones;
using HierRetrieval.Runtime.Zips.Tokenization;
using Microsoft.ML;

namespace HierRetrieval.Runtime.Zips;

/// <summary>
/// A dual encoder over a sentence encoder as an ML.NET transformer: the query text is tokenised
/// (<see cref="WordPieceTokenMappings"/>, the one step that is saved code rather than a built-in), the pooled encoder
/// graph embeds it (ApplyOnnxModel, the graph inside the zip), and the retrieval graph maps it with the query head
/// and retrieves. Its zip carries encoder, heads and documents; a loading program registers the runtime assembly
/// (see <see cref="WordPieceTokenMappings"/>).
/// </summary>
/// <remarks>
/// ML.NET's ApplyOnnxModel reads fixed-length vectors, so the per-row path pads every text to the encoder's token
/// limit; attention masks make the result the same as unpadded encoding. Bulk work goes through
/// <see cref="Scoring.BackboneBatchScorer"/>, which batches by length instead.
/// </remarks>
public static class BackboneRetrievalChain
{
    /// <summary>Adds the query embedding, the top-k document names and their scores to a view with the query column of <paramref name="columns"/>.</summary>
    /// <exception cref="NotSupportedException">The runtime carries no tokenizer mapping for the encoder's vocabulary or token limit.</exception>
    public static ITransformer Create(MLContext mlContext, SentenceEncoderModel encoder, ExportedBackboneRetrievalModel model, RetrievalColumns columns)
    {
        int[] shape = [1, encoder.MaxTokens];
        var estimator = mlContext.Transforms.CopyColumns(WordPieceTokenMappings.TextColumnName, columns.Query)
            .Append(WordPieceTokenMappings.For(mlContext, encoder))
            .Append(mlContext.Transforms.ApplyOnnxModel(
                [SentenceEncoderOnnx.EmbeddingName],
                [SentenceEncoderOnnx.InputIdsName, SentenceEncoderOnnx.AttentionMaskName],
                new MemoryStream(encoder.PooledGraph, writable: false),
                new Dictionary<string, int[]> { [SentenceEncoderOnnx.InputIdsName] = shape, [SentenceEncoderOnnx.AttentionMaskName] = shape },
                gpuDeviceId: null,
                fallbackToCpu: false))
            .Append(mlContext.Transforms.DropColumns(WordPieceTokenMappings.TextColumnName, SentenceEncoderOnnx.InputIdsName, SentenceEncoderOnnx.AttentionMaskName))
            .Append(OnnxChains.RetrievalHead(mlContext, model.OnnxModel, SentenceEncoderOnnx.EmbeddingName, model.DocumentNames, columns));
        return OnnxChains.FitOnText(mlContext, estimator, columns.Query);
    }
}
