using HierRetrieval.Export.Models;
using HierRetrieval.Export.Onnx;
using HierRetrieval.Retrieval;
using Microsoft.ML;

namespace HierRetrieval.Runtime.Zips;

/// <summary>
/// A lookup-table dual encoder as a chain of ML.NET built-ins: MapValue (query name -> graph id), ApplyOnnxModel
/// with the retrieval graph, MapValue (document row -> name), and the output column names. It saves into one zip
/// that <c>mlContext.Model.Load</c> reads with ML.NET and its ONNX transformer alone.
/// </summary>
public static class LookupRetrievalChain
{
    /// <summary>
    /// The exported model and its fitted chain for one set of node embeddings: node i is named
    /// <paramref name="names"/>[i] as a query and as a document; each query retrieves its top <paramref name="topK"/>
    /// (at most the number of nodes).
    /// </summary>
    /// <exception cref="ArgumentException">Names and embeddings differ in number, or a name repeats.</exception>
    public static (ITransformer Chain, ExportedRetrievalModel Model) FromEmbeddings(MLContext mlContext, IReadOnlyList<string> names, NodeEmbeddings embeddings, int topK, RetrievalColumns columns)
    {
        var model = ExportedRetrievalModel.FromEmbeddings(names, embeddings.Queries, names, embeddings.Documents, Math.Min(topK, names.Count));
        return (Create(mlContext, model, columns), model);
    }

    /// <summary>The fitted chain of <paramref name="model"/>, reading <see cref="RetrievalColumns.Query"/> and adding the other columns.</summary>
    public static ITransformer Create(MLContext mlContext, ExportedRetrievalModel model, RetrievalColumns columns)
    {
        var chain = OnnxChains.NamesToIds(mlContext, model.QueryVocabulary, columns.Query)
            .Append(OnnxChains.RetrievalHead(mlContext, model.OnnxModel, OnnxModelMetadata.ItemName, model.DocumentNames, columns));
        return OnnxChains.FitOnText(mlContext, chain, columns.Query);
    }
}
