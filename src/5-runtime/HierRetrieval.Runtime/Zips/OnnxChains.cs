using HierRetrieval.Export.Onnx;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace HierRetrieval.Runtime.Zips;

/// <summary>
/// The built-in ML.NET transforms that carry an exported model, so that a fitted chain saves into and loads from a
/// model zip with no other files: MapValue tables for names, ApplyOnnxModel for the graph, CopyColumns and
/// DropColumns for the column names.
/// </summary>
public static class OnnxChains
{
    /// <summary>Maps names in <paramref name="inputColumnName"/> to graph ids (name i -> i + 1; unknown names -> 0).</summary>
    public static IEstimator<ITransformer> NamesToIds(MLContext mlContext, IReadOnlyList<string> names, string inputColumnName)
    {
        var table = mlContext.Data.LoadFromEnumerable(names.Select((name, i) => new NameAndId { Name = name, Id = i + 1L }));
        return mlContext.Transforms.Conversion.MapValue(OnnxModelMetadata.ItemName, table, table.Schema[nameof(NameAndId.Name)], table.Schema[nameof(NameAndId.Id)], inputColumnName);
    }

    /// <summary>Maps a vector of row indexes in <paramref name="inputColumnName"/> to names (row i -> names[i]).</summary>
    public static IEstimator<ITransformer> RowsToNames(MLContext mlContext, IReadOnlyList<string> names, string outputColumnName, string inputColumnName)
    {
        var table = mlContext.Data.LoadFromEnumerable(names.Select((name, i) => new NameAndId { Name = name, Id = i }));
        return mlContext.Transforms.Conversion.MapValue(outputColumnName, table, table.Schema[nameof(NameAndId.Id)], table.Schema[nameof(NameAndId.Name)], inputColumnName);
    }

    /// <summary>Runs the graph <paramref name="onnxModel"/> on its input column <paramref name="input"/>, producing <paramref name="outputs"/> (the graph's names).</summary>
    public static IEstimator<ITransformer> Apply(MLContext mlContext, byte[] onnxModel, string input, params string[] outputs) =>
        mlContext.Transforms.ApplyOnnxModel(outputs, [input], new MemoryStream(onnxModel, writable: false), gpuDeviceId: null, fallbackToCpu: false);

    /// <summary>
    /// The retrieval steps after a graph's input column: the graph (embedding, scores, document rows), document rows to
    /// names, and the user's output names, with <paramref name="input"/> and the graph outputs dropped.
    /// </summary>
    public static IEstimator<ITransformer> RetrievalHead(MLContext mlContext, byte[] onnxModel, string input, IReadOnlyList<string> documentNames, RetrievalColumns columns) =>
        Apply(mlContext, onnxModel, input, OnnxModelMetadata.EmbeddingName, OnnxModelMetadata.ScoresName, OnnxModelMetadata.DocumentsName)
            .Append(RowsToNames(mlContext, documentNames, columns.Documents, OnnxModelMetadata.DocumentsName))
            .Append(Publish(
                mlContext,
                [(columns.QueryEmbedding, OnnxModelMetadata.EmbeddingName), (columns.Scores, OnnxModelMetadata.ScoresName)],
                input,
                OnnxModelMetadata.EmbeddingName,
                OnnxModelMetadata.ScoresName,
                OnnxModelMetadata.DocumentsName));

    /// <summary>Copies graph outputs to the user's column names, then drops the internal columns <paramref name="internals"/>.</summary>
    public static IEstimator<ITransformer> Publish(MLContext mlContext, IReadOnlyList<(string Output, string Graph)> copies, params string[] internals) =>
        copies.Select(c => mlContext.Transforms.CopyColumns(c.Output, c.Graph)).Aggregate((IEstimator<ITransformer>)new EstimatorChain<ITransformer>(), (chain, copy) => chain.Append(copy))
            .Append(mlContext.Transforms.DropColumns(internals));

    /// <summary>Fits <paramref name="estimator"/> on an empty view with the text column <paramref name="inputColumnName"/>: every step is a fixed mapping, so no data is needed.</summary>
    public static ITransformer FitOnText(MLContext mlContext, IEstimator<ITransformer> estimator, string inputColumnName) =>
        estimator.Fit(EmptyText(mlContext, inputColumnName));

    /// <summary>A schema of one text column, <paramref name="columnName"/>: the input schema saved with a model.</summary>
    public static DataViewSchema TextSchema(string columnName)
    {
        var builder = new DataViewSchema.Builder();
        builder.AddColumn(columnName, TextDataViewType.Instance);
        return builder.ToSchema();
    }

    /// <summary>An empty view with one text column, <paramref name="columnName"/>.</summary>
    public static IDataView EmptyText(MLContext mlContext, string columnName) => TextView(mlContext, [], columnName);

    /// <summary>A view with one text column, <paramref name="columnName"/>, holding <paramref name="texts"/>.</summary>
    public static IDataView TextView(MLContext mlContext, IEnumerable<string> texts, string columnName)
    {
        var definition = SchemaDefinition.Create(typeof(TextRow));
        definition[0].ColumnName = columnName;
        return mlContext.Data.LoadFromEnumerable(texts.Select(t => new TextRow { Text = t }), definition);
    }

    private sealed class NameAndId
    {
        public string Name { get; set; } = "";

        public long Id { get; set; }
    }

    private sealed class TextRow
    {
        public string Text { get; set; } = "";
    }
}
