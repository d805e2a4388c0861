using HierRetrieval.Export.Models;
using HierRetrieval.Retrieval;
using HierRetrieval.Runtime.Text.Backbones;
using HierRetrieval.Runtime.Zips;

namespace HierRetrieval.Runtime.Scoring;

/// <summary>
/// Bulk retrieval with a saved backbone model zip: the zip's sentence encoder embeds texts in length-sorted batches
/// (<see cref="SentenceEncoder"/>), then the query or document head maps them in one ONNX Runtime call per batch. A
/// new document set (e.g. a products file) is embedded with the carried document head.
/// </summary>
public sealed class BackboneBatchScorer : ITextModelScorer
{
    private readonly SentenceEncoder _encoder;
    private readonly BackboneHeadSession _queries;
    private readonly BackboneHeadSession _documents;

    /// <summary>Loads the zip at <paramref name="path"/>; <paramref name="threads"/> of 0 encodes on all cores.</summary>
    /// <exception cref="InvalidDataException">The zip holds no backbone retrieval model of this library.</exception>
    public BackboneBatchScorer(string path, int threads = 0)
        : this(RetrievalModelZip.ReadContents(path), threads)
    {
    }

    /// <summary>Loads the backbone model of a zip already read; <paramref name="threads"/> of 0 encodes on all cores.</summary>
    /// <exception cref="InvalidDataException">The zip holds no backbone retrieval model of this library.</exception>
    public BackboneBatchScorer(ModelZipContents contents, int threads = 0)
    {
        ArgumentNullException.ThrowIfNull(contents);
        (var encoder, Model) = contents.Backbone();
        _encoder = new SentenceEncoder(encoder, new SentenceEncoderOptions { Threads = threads > 0 ? threads : Environment.ProcessorCount });
        _queries = new BackboneHeadSession(Model.QueryHead);
        _documents = new BackboneHeadSession(Model.DocumentHead);
    }

    /// <summary>The model read from the zip (heads, its own documents).</summary>
    public ExportedBackboneRetrievalModel Model { get; }

    /// <inheritdoc/>
    ExportedTextModel ITextModelScorer.Model => Model;

    /// <summary>The sentence encoder read from the zip.</summary>
    public SentenceEncoderModel Encoder => _encoder.Model;

    /// <inheritdoc/>
    /// <exception cref="ArgumentException">A text is empty or white space only; the message gives its index.</exception>
    public EmbeddingMatrix EmbedQueries(IReadOnlyList<string> texts) => _queries.Embed(_encoder.Encode(texts));

    /// <inheritdoc/>
    /// <exception cref="ArgumentException">A text is empty or white space only; the message gives its index.</exception>
    public EmbeddingMatrix EmbedDocuments(IReadOnlyList<string> texts) => _documents.Embed(_encoder.Encode(texts));

    /// <summary>Releases the sessions.</summary>
    public void Dispose()
    {
        _encoder.Dispose();
        _queries.Dispose();
        _documents.Dispose();
    }
}
