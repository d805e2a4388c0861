using HierRetrieval.MLNet.Schema;
using HierRetrieval.Runtime.Zips;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace HierRetrieval.MLNet;

/// <summary>
/// The shared part of the fitted retrieval transformers: they add the query embedding, the top-k documents and their
/// scores to any view with a text query column, and hold all fitted state in an inner chain of ML.NET built-ins,
/// which is what <c>mlContext.Model.Save</c> writes. <c>mlContext.Model.Load</c> gives back that chain (a
/// <see cref="Microsoft.ML.Data.TransformerChain{TLastTransformer}"/>, not this type) with identical results.
/// </summary>
public abstract class RetrievalTransformer : ITransformer, IDisposable
{
    private readonly ITransformer _chain;
    private readonly ColumnRequirement _queryColumn;

    private protected RetrievalTransformer(ITransformer chain, string queryColumnName)
    {
        _chain = chain;
        _queryColumn = ColumnRequirement.Text(queryColumnName, "query");
    }

    /// <inheritdoc/>
    public bool IsRowToRowMapper => _chain.IsRowToRowMapper;

    /// <summary>Saves the model zip atomically, with an input schema of one text column, the query column.</summary>
    public void Save(MLContext mlContext, string path) => RetrievalModelZip.Save(mlContext, this, _queryColumn.Name, path);

    /// <inheritdoc/>
    /// <exception cref="ArgumentOutOfRangeException">The query column is missing or not text.</exception>
    public DataViewSchema GetOutputSchema(DataViewSchema inputSchema)
    {
        _queryColumn.CheckIn(inputSchema);
        return _chain.GetOutputSchema(inputSchema);
    }

    /// <inheritdoc/>
    public IRowToRowMapper GetRowToRowMapper(DataViewSchema inputSchema)
    {
        _queryColumn.CheckIn(inputSchema);
        return _chain.GetRowToRowMapper(inputSchema);
    }

    /// <inheritdoc/>
    /// <exception cref="ArgumentOutOfRangeException">The query column is missing or not text.</exception>
    public IDataView Transform(IDataView input)
    {
        _queryColumn.CheckIn(input.Schema);
        return _chain.Transform(input);
    }

    /// <summary>Saves the inner chain of built-ins (what <c>mlContext.Model.Save</c> calls).</summary>
    void ICanSaveModel.Save(ModelSaveContext ctx) => _chain.Save(ctx);

    /// <summary>Releases the ONNX Runtime sessions of the chain.</summary>
    public void Dispose()
    {
        (_chain as IDisposable)?.Dispose();
        GC.SuppressFinalize(this);
    }
}
