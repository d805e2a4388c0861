using HierRetrieval.Export.Models;
using HierRetrieval.Export.Onnx;
using HierRetrieval.Retrieval;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.Transforms.Onnx;

namespace HierRetrieval.MLNet.Scoring;

/// <summary>
/// Bulk retrieval with a saved text model zip: the zip's featurizer (ML.NET built-ins) turns texts into feature
/// counts, the query and document towers run in batched ONNX Runtime calls, and the exact index searches. A new
/// document set (e.g. a products file) is embedded once with the carried document tower.
/// </summary>
public sealed class TextBatchScorer : IDisposable
{
    private const int Batch = 512;
    private readonly MLContext _mlContext = new(seed: 0);
    private readonly ITransformer _featurizer;
    private readonly string _textColumn;
    private readonly InferenceSession _queries;
    private readonly InferenceSession _documents;
    private readonly RunOptions _run = new();

    /// <summary>Loads the zip at <paramref name="path"/>.</summary>
    /// <exception cref="InvalidDataException">The zip holds no text retrieval model of this library.</exception>
    public TextBatchScorer(string path)
    {
        Model = RetrievalModelZip.ReadText(path);
        var chain = _mlContext.Model.Load(path, out var schema);
        _textColumn = schema[0].Name;
        _featurizer = new TransformerChain<ITransformer>([.. Flatten(chain).TakeWhile(t => t is not OnnxTransformer)]);
        using var options = new SessionOptions { IntraOpNumThreads = 1, InterOpNumThreads = 1, ExecutionMode = ExecutionMode.ORT_SEQUENTIAL };
        options.AddSessionConfigEntry("session.intra_op.allow_spinning", "0");
        _queries = new InferenceSession(TextTowerOnnx.Build(Model.QueryTower, new OnnxExportOptions { EmbeddingName = OnnxModelMetadata.EmbeddingName }), options);
        _documents = new InferenceSession(TextTowerOnnx.Build(Model.DocumentTower, new OnnxExportOptions { EmbeddingName = OnnxModelMetadata.EmbeddingName }), options);
    }

    /// <summary>The model read from the zip (towers, its own documents).</summary>
    public ExportedTextRetrievalModel Model { get; }

    /// <summary>Unit-norm query embeddings of <paramref name="texts"/>, row i = text i.</summary>
    public EmbeddingMatrix EmbedQueries(IReadOnlyList<string> texts) => Embed(_queries, texts);

    /// <summary>Unit-norm document embeddings of <paramref name="texts"/>, row i = text i.</summary>
    public EmbeddingMatrix EmbedDocuments(IReadOnlyList<string> texts) => Embed(_documents, texts);

    /// <summary>Releases the sessions.</summary>
    public void Dispose()
    {
        _queries.Dispose();
        _documents.Dispose();
        _run.Dispose();
    }

    /// <summary>The steps of a chain, nested chains opened.</summary>
    private static IEnumerable<ITransformer> Flatten(ITransformer transformer) =>
        transformer is IEnumerable<ITransformer> chain ? chain.SelectMany(Flatten) : [transformer];

    private EmbeddingMatrix Embed(InferenceSession session, IReadOnlyList<string> texts)
    {
        int features = Model.QueryTower.FeatureCount, dimension = Model.QueryTower.Dimension;
        var result = new EmbeddingMatrix(texts.Count, dimension);
        var definition = SchemaDefinition.Create(typeof(TextRow));
        definition[0].ColumnName = _textColumn;
        var featurized = _featurizer.Transform(_mlContext.Data.LoadFromEnumerable(texts.Select(t => new TextRow { Text = t }), definition));
        using var cursor = featurized.GetRowCursor([featurized.Schema[TextTowerOnnx.FeaturesName]]);
        var getter = cursor.GetGetter<VBuffer<float>>(featurized.Schema[TextTowerOnnx.FeaturesName]);
        VBuffer<float> vector = default;
        float[] counts = new float[Batch * features];
        int row = 0, filled = 0;
        while (cursor.MoveNext())
        {
            getter(ref vector);
            foreach (var (index, value) in vector.Items())
            {
                counts[(filled * features) + index] = value;
            }

            if (++filled == Batch)
            {
                Flush();
            }
        }

        Flush();
        return result;

        void Flush()
        {
            if (filled == 0)
            {
                return;
            }

            using var input = OrtValue.CreateTensorValueFromMemory(counts, [Batch, features]);
            using var outputs = session.Run(_run, [TextTowerOnnx.FeaturesName], [input], [OnnxModelMetadata.EmbeddingName]);
            outputs[0].GetTensorDataAsSpan<float>()[..(filled * dimension)].CopyTo(result.Values.Slice(row * dimension, filled * dimension));
            row += filled;
            filled = 0;
            Array.Clear(counts);
        }
    }

    private sealed class TextRow
    {
        public string Text { get; set; } = "";
    }
}
