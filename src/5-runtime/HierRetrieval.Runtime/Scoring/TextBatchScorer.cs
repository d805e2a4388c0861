using HierRetrieval.Export.Models;
using HierRetrieval.Runtime.Zips;
using HierRetrieval.Runtime.Text;
using HierRetrieval.Retrieval;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Transforms.Onnx;

namespace HierRetrieval.Runtime.Scoring;

/// <summary>
/// Bulk retrieval with a saved text model zip: the zip's featurizer (ML.NET built-ins) turns texts into feature
/// counts, the query and document towers run in batched ONNX Runtime calls, and the exact index searches. A new
/// document set (e.g. a products file) is embedded once with the carried document tower.
/// </summary>
public sealed class TextBatchScorer : ITextModelScorer
{
    private readonly MLContext _mlContext = new(seed: 0);
    private readonly ITransformer _featurizer;
    private readonly string _textColumn;
    private readonly TextTowerSession _queries;
    private readonly TextTowerSession _documents;

    /// <summary>Loads the zip at <paramref name="path"/>.</summary>
    /// <exception cref="InvalidDataException">The zip holds no text retrieval model of this library.</exception>
    public TextBatchScorer(string path)
        : this(RetrievalModelZip.ReadContents(path))
    {
    }

    /// <summary>Loads the text model of a zip already read (ML.NET loads the zip's featurizer from its path).</summary>
    /// <exception cref="InvalidDataException">The zip holds no text retrieval model of this library.</exception>
    public TextBatchScorer(ModelZipContents contents)
    {
        ArgumentNullException.ThrowIfNull(contents);
        Model = contents.Text();
        var chain = _mlContext.Model.Load(contents.Path, out var schema);
        _textColumn = schema[0].Name;
        _featurizer = new TransformerChain<ITransformer>([.. Flatten(chain).TakeWhile(t => t is not OnnxTransformer)]);
        _queries = new TextTowerSession(Model.QueryTower);
        _documents = new TextTowerSession(Model.DocumentTower);
    }

    /// <summary>The model read from the zip (towers, its own documents).</summary>
    public ExportedTextRetrievalModel Model { get; }

    /// <inheritdoc/>
    ExportedTextModel ITextModelScorer.Model => Model;

    /// <summary>Unit-norm query embeddings of <paramref name="texts"/>, row i = text i.</summary>
    public EmbeddingMatrix EmbedQueries(IReadOnlyList<string> texts) => Embed(_queries, texts);

    /// <summary>Unit-norm document embeddings of <paramref name="texts"/>, row i = text i.</summary>
    public EmbeddingMatrix EmbedDocuments(IReadOnlyList<string> texts) => Embed(_documents, texts);

    /// <summary>Releases the sessions.</summary>
    public void Dispose()
    {
        _queries.Dispose();
        _documents.Dispose();
    }

    /// <summary>The steps of a chain, nested chains opened.</summary>
    private static IEnumerable<ITransformer> Flatten(ITransformer transformer) =>
        transformer is IEnumerable<ITransformer> chain ? chain.SelectMany(Flatten) : [transformer];

    private EmbeddingMatrix Embed(TextTowerSession tower, IReadOnlyList<string> texts) =>
        tower.Embed(TextFeaturizer.ReadBags(_featurizer.Transform(OnnxChains.TextView(_mlContext, texts, _textColumn)), texts.Count, Model.QueryTower.FeatureCount));
}
