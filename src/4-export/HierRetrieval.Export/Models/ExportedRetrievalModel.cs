using HierRetrieval.Export.Onnx;
using HierRetrieval.Retrieval;

namespace HierRetrieval.Export.Models;

/// <summary>
/// A trained lookup-table dual encoder as one ONNX retrieval graph (query tower, document matrix, MatMul, TopK) for
/// ML.NET's per-row path, with the query vocabulary and the document names in the model's metadata so that the
/// model alone maps names to rows and rows to names.
/// </summary>
public sealed class ExportedRetrievalModel
{
    private ExportedRetrievalModel(IReadOnlyList<string> queryVocabulary, EmbeddingMatrix queries, IReadOnlyList<string> documentNames, EmbeddingMatrix documents, int k, byte[] onnxModel)
    {
        QueryVocabulary = queryVocabulary;
        Queries = queries;
        DocumentNames = documentNames;
        Documents = documents;
        K = k;
        OnnxModel = onnxModel;
    }

    /// <summary>The queries the model knows; query id i + 1 = QueryVocabulary[i], id 0 is unknown.</summary>
    public IReadOnlyList<string> QueryVocabulary { get; }

    /// <summary>The query tower's table (rows as trained; the graph normalises them).</summary>
    public EmbeddingMatrix Queries { get; }

    /// <summary>Names of the documents, in row order.</summary>
    public IReadOnlyList<string> DocumentNames { get; }

    /// <summary>The unit-norm document embeddings, row i = <see cref="DocumentNames"/>[i].</summary>
    public EmbeddingMatrix Documents { get; }

    /// <summary>How many documents the graph returns per query.</summary>
    public int K { get; }

    /// <summary>The serialized ONNX model (names in <see cref="OnnxModelMetadata"/>).</summary>
    public byte[] OnnxModel { get; }

    /// <summary>Embedding dimension.</summary>
    public int Dimension => Documents.Dimension;

    /// <summary>
    /// The query tower alone, for batched embedding: running the retrieval graph for its embedding output would still
    /// compute the scores of every document.
    /// </summary>
    public ExportedTower QueryTower() => ExportedTower.FromTable(TowerRole.Query, QueryVocabulary, Queries);

    /// <summary>Exports the towers: queries named by <paramref name="queryVocabulary"/>, documents by <paramref name="documentNames"/>.</summary>
    /// <exception cref="ArgumentException">Names and rows differ in number, or k is out of range.</exception>
    public static ExportedRetrievalModel FromEmbeddings(IReadOnlyList<string> queryVocabulary, EmbeddingMatrix queries, IReadOnlyList<string> documentNames, EmbeddingMatrix documents, int k)
    {
        if (queryVocabulary.Count != queries.Rows || documentNames.Count != documents.Rows)
        {
            throw new ArgumentException($"names and rows differ: {queryVocabulary.Count} query names for {queries.Rows} rows, {documentNames.Count} document names for {documents.Rows} rows");
        }

        var normalized = new EmbeddingMatrix(documents.Rows, documents.Dimension, documents.Values.ToArray()).NormalizeRows();
        var options = OnnxModelMetadata.TowerOptions(new Dictionary<string, string>
        {
            [OnnxModelMetadata.KindKey] = OnnxModelMetadata.RetrievalKind,
            [OnnxModelMetadata.QueryVocabularyKey] = OnnxModelMetadata.JoinNames(queryVocabulary),
            [OnnxModelMetadata.DocumentNamesKey] = OnnxModelMetadata.JoinNames(documentNames),
        });
        return new ExportedRetrievalModel(queryVocabulary, queries, documentNames, normalized, k, RetrievalOnnx.Build(queries, normalized, k, options));
    }

    /// <summary>Reads a model built by <see cref="FromEmbeddings"/> from its serialized ONNX bytes.</summary>
    /// <param name="onnxModel">The bytes.</param>
    /// <param name="source">Where the bytes came from, for error messages.</param>
    /// <exception cref="InvalidDataException">The bytes are not a retrieval model exported by this library.</exception>
    public static ExportedRetrievalModel Read(byte[] onnxModel, string source)
    {
        var model = OnnxModelMetadata.Read(onnxModel, source);
        model.RequireKind(OnnxModelMetadata.RetrievalKind);
        var documents = model.TransposedMatrix(RetrievalOnnx.DocumentsInitializer);
        var names = model.Names(OnnxModelMetadata.DocumentNamesKey);
        if (names.Count != documents.Rows)
        {
            throw new InvalidDataException($"{source}: {names.Count} document names for {documents.Rows} document rows");
        }

        return new ExportedRetrievalModel(model.Names(OnnxModelMetadata.QueryVocabularyKey), model.TowerTable(), names, documents, model.K, onnxModel);
    }
}
