using HierRetrieval.Data.Esci;
using HierRetrieval.Export.Models;
using HierRetrieval.Export.Onnx;
using HierRetrieval.Runtime.Text.Backbones;
using HierRetrieval.Runtime.Zips;
using HierRetrieval.Retrieval;
using Microsoft.ML;

namespace HierRetrieval.Runtime.Shopping;

/// <summary>A shopping model of heads over a frozen sentence encoder: the encoder and the two heads' weights.</summary>
public sealed record EsciBackboneModel(
    SentenceEncoderModel Encoder, BackboneHeadWeights QueryHead, BackboneHeadWeights DocumentHead, IReadOnlyList<string> ProductIds, EmbeddingMatrix Products, IReadOnlyList<ProductField> ProductFields)
    : EsciModel(ProductIds, Products, ProductFields)
{
    /// <summary>The query column of the saved zip.</summary>
    public const string QueryColumnName = "Query";

    /// <summary>Threads of the sentence encoder when this model embeds queries.</summary>
    public int EncoderThreads { get; init; } = Environment.ProcessorCount;

    /// <inheritdoc/>
    public override void Save(MLContext mlContext, string path, int k)
    {
        var exported = ExportedBackboneRetrievalModel.FromWeights(QueryHead, DocumentHead, ProductIds, Products, Math.Min(k, ProductIds.Count), Notes);
        RetrievalModelZip.Save(mlContext, BackboneRetrievalChain.Create(mlContext, Encoder, exported, new RetrievalColumns { Query = QueryColumnName }), QueryColumnName, path);
    }

    /// <summary>Unit-norm query embeddings of <paramref name="texts"/>, row i = text i: the encoder's sentence embeddings through the query head.</summary>
    /// <exception cref="ArgumentException">A text is empty or white space only.</exception>
    public override EmbeddingMatrix EmbedQueries(IReadOnlyList<string> texts)
    {
        using var encoder = new SentenceEncoder(Encoder, new SentenceEncoderOptions { Threads = EncoderThreads });
        using var head = new BackboneHeadSession(QueryHead);
        return head.Embed(encoder.Encode(texts));
    }
}
