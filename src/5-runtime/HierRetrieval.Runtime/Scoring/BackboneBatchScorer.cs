using HierRetrieval.Export.Models;
using HierRetrieval.Export.Onnx;
using HierRetrieval.Retrieval;
using HierRetrieval.Runtime.Onnx;
using HierRetrieval.Runtime.Text.Backbones;
using HierRetrieval.Runtime.Zips;
using Microsoft.ML.OnnxRuntime;

namespace HierRetrieval.Runtime.Scoring;

/// <summary>
/// Bulk retrieval with a saved backbone model zip: the zip's sentence encoder embeds texts in length-sorted batches
/// (<see cref="SentenceEncoder"/>), then the query or document head maps them in one ONNX Runtime call per batch. A
/// new document set (e.g. a products file) is embedded with the carried document head.
/// </summary>
public sealed class BackboneBatchScorer : ITextModelScorer
{
    private const int Batch = 4096;
    private static readonly string[] InputNames = [BackboneHeadOnnx.InputName];
    private static readonly string[] OutputNames = [OnnxModelMetadata.EmbeddingName];
    private readonly SentenceEncoder _encoder;
    private readonly InferenceSession _queries;
    private readonly InferenceSession _documents;
    private readonly RunOptions _run = new();

    /// <summary>Loads the zip at <paramref name="path"/>; <paramref name="threads"/> of 0 encodes on all cores.</summary>
    /// <exception cref="InvalidDataException">The zip holds no backbone retrieval model of this library.</exception>
    public BackboneBatchScorer(string path, int threads = 0)
    {
        (var encoder, Model) = RetrievalModelZip.ReadBackbone(path);
        _encoder = new SentenceEncoder(encoder, new SentenceEncoderOptions { Threads = threads > 0 ? threads : Environment.ProcessorCount });
        _queries = OnnxSessions.Tower(BackboneHeadOnnx.Build(Model.QueryHead, new OnnxExportOptions { EmbeddingName = OnnxModelMetadata.EmbeddingName }));
        _documents = OnnxSessions.Tower(BackboneHeadOnnx.Build(Model.DocumentHead, new OnnxExportOptions { EmbeddingName = OnnxModelMetadata.EmbeddingName }));
    }

    /// <summary>The model read from the zip (heads, its own documents).</summary>
    public ExportedBackboneRetrievalModel Model { get; }

    /// <inheritdoc/>
    ExportedTextModel ITextModelScorer.Model => Model;

    /// <summary>The sentence encoder read from the zip.</summary>
    public SentenceEncoderModel Encoder => _encoder.Model;

    /// <inheritdoc/>
    /// <exception cref="ArgumentException">A text is empty or white space only; the message gives its index.</exception>
    public EmbeddingMatrix EmbedQueries(IReadOnlyList<string> texts) => Embed(_queries, Model.QueryHead.Dimension, texts);

    /// <inheritdoc/>
    /// <exception cref="ArgumentException">A text is empty or white space only; the message gives its index.</exception>
    public EmbeddingMatrix EmbedDocuments(IReadOnlyList<string> texts) => Embed(_documents, Model.DocumentHead.Dimension, texts);

    /// <summary>Releases the sessions.</summary>
    public void Dispose()
    {
        _encoder.Dispose();
        _queries.Dispose();
        _documents.Dispose();
        _run.Dispose();
    }

    private EmbeddingMatrix Embed(InferenceSession head, int dimension, IReadOnlyList<string> texts)
    {
        var sentences = _encoder.Encode(texts);
        var result = new EmbeddingMatrix(texts.Count, dimension);
        for (int start = 0; start < texts.Count; start += Batch)
        {
            int rows = Math.Min(Batch, texts.Count - start);
            using var input = OrtValue.CreateTensorValueFromMemory(sentences.Values.Slice(start * sentences.Dimension, rows * sentences.Dimension).ToArray(), [rows, sentences.Dimension]);
            using var outputs = head.Run(_run, InputNames, [input], OutputNames);
            outputs[0].GetTensorDataAsSpan<float>().CopyTo(result.Values.Slice(start * dimension, rows * dimension));
        }

        return result;
    }
}
