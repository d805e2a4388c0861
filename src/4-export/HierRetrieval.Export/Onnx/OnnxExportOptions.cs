namespace HierRetrieval.Export.Onnx;

/// <summary>How an exported graph names its inputs and outputs, how item ids map to table rows, and what it records.</summary>
public sealed record OnnxExportOptions
{
    /// <summary>Name of the int64 [batch, 1] input of item ids.</summary>
    public string ItemName { get; init; } = "item";

    /// <summary>Name of the float [batch, dim] output of unit-norm embeddings.</summary>
    public string EmbeddingName { get; init; } = "embedding";

    /// <summary>Name of the float [batch, k] output of top-k scores (retrieval graphs).</summary>
    public string ScoresName { get; init; } = "scores";

    /// <summary>Name of the int64 [batch, k] output of top-k document rows (retrieval graphs).</summary>
    public string DocumentsName { get; init; } = "documents";

    /// <summary>
    /// The id of table row 0: ids in [FirstId, FirstId + rows) select rows, every other id is unknown and gets a zero
    /// embedding. 1 suits ids where 0 means "not found" (ML.NET's MapValue of an unknown value).
    /// </summary>
    public long FirstId { get; init; }

    /// <summary>Key-value pairs stored in the model's metadata (e.g. the vocabulary, see <see cref="OnnxModelMetadata"/>).</summary>
    public IReadOnlyDictionary<string, string> Metadata { get; init; } = new Dictionary<string, string>();

    /// <summary>The producer name written into the model.</summary>
    public string Producer { get; init; } = "HierRetrieval.MLNet";
}
