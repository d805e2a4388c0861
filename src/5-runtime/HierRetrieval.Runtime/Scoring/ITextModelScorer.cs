using HierRetrieval.Export.Models;
using HierRetrieval.Export.Onnx;
using HierRetrieval.Retrieval;
using HierRetrieval.Runtime.Zips;

namespace HierRetrieval.Runtime.Scoring;

/// <summary>Bulk embedding of query and document texts with a saved text model zip, whatever its towers.</summary>
public interface ITextModelScorer : IDisposable
{
    /// <summary>The model read from the zip (its own documents and notes).</summary>
    ExportedTextModel Model { get; }

    /// <summary>Unit-norm query embeddings of <paramref name="texts"/>, row i = text i.</summary>
    EmbeddingMatrix EmbedQueries(IReadOnlyList<string> texts);

    /// <summary>Unit-norm document embeddings of <paramref name="texts"/>, row i = text i.</summary>
    EmbeddingMatrix EmbedDocuments(IReadOnlyList<string> texts);
}

/// <summary>Opens the bulk scorer that fits a text model zip.</summary>
public static class TextModelScorers
{
    /// <summary>A <see cref="BackboneBatchScorer"/> for a zip over a sentence encoder, else a <see cref="TextBatchScorer"/>.</summary>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">The file is not a zip, or holds no text model of this library.</exception>
    public static ITextModelScorer Open(string path, int threads = 0) => Open(RetrievalModelZip.ReadContents(path), threads);

    /// <summary>The scorer that fits a zip already read: <see cref="Open(string, int)"/> without a second pass over it.</summary>
    /// <exception cref="InvalidDataException">The zip holds no text model of this library.</exception>
    public static ITextModelScorer Open(ModelZipContents contents, int threads = 0)
    {
        ArgumentNullException.ThrowIfNull(contents);
        return contents.Kind switch
        {
            OnnxModelMetadata.BackboneRetrievalKind => new BackboneBatchScorer(contents, threads),
            OnnxModelMetadata.TextRetrievalKind => new TextBatchScorer(contents),
            var kind => throw new InvalidDataException($"{contents.Path}: the zip holds a '{kind}' model, not a text model: score it by query name"),
        };
    }
}
