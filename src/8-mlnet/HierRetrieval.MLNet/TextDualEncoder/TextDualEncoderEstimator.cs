using HierRetrieval.Export.Models;
using HierRetrieval.MLNet.Schema;
using HierRetrieval.Runtime.Text;
using HierRetrieval.Runtime.Zips;
using HierRetrieval.Training.Towers;
using Microsoft.ML;

namespace HierRetrieval.MLNet;

/// <summary>
/// Trains text towers on (query text, document text, distance) pairs with the two-stage recipe and returns a
/// <see cref="TextDualEncoderTransformer"/> that embeds any query text, seen or not. Created by
/// <c>mlContext.HierarchicalRetrieval().Trainers.TextDualEncoder</c>.
/// </summary>
/// <remarks>
/// The documents retrieved are the distinct texts of the document column. The featurizer's vocabularies are learned
/// from the training texts; a word never seen contributes only its known character n-grams.
/// </remarks>
public sealed class TextDualEncoderEstimator : IEstimator<TextDualEncoderTransformer>
{
    private readonly MLContext _mlContext;
    private readonly TextDualEncoderOptions _options;

    internal TextDualEncoderEstimator(MLContext mlContext, TextDualEncoderOptions options)
    {
        DualEncoderEstimator.Validate(options);
        _mlContext = mlContext;
        _options = options;
    }

    /// <summary>Trains on <paramref name="input"/> and returns the fitted transformer.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A column is missing or mistyped.</exception>
    /// <exception cref="InvalidDataException">A row has an empty text or an invalid distance, or the view is empty.</exception>
    public TextDualEncoderTransformer Fit(IDataView input)
    {
        var pairs = TrainingPairs.Read(input, _options);
        var run = DualEncoderEstimator.Input(pairs, _options);
        var featurizer = TextFeaturizer.Fit(_mlContext, pairs.Names, _options.Features, _options.QueryColumnName);
        var bags = featurizer.Featurize(pairs.Names);
        using var towers = new TextTowerPair(bags, bags, _options.Trainer, _options.Towers, _options.SharedTowers);
        var result = DualEncoderEstimator.Run(_options).Train(run, towers.Queries, towers.Documents, _options.Progress);
        int[] documentRows = [.. pairs.Pairs.Concat(pairs.HeldOut).Select(p => p.Document).Distinct().Order()];
        var model = ExportedTextRetrievalModel.FromWeights(
            towers.Queries.ExportWeights(), towers.Documents.ExportWeights(), [.. documentRows.Select(row => pairs.Names[row])],
            result.Embeddings.Documents.SelectRows(documentRows), Math.Min(_options.TopK, documentRows.Length));
        return new TextDualEncoderTransformer(TextRetrievalChain.Create(_mlContext, featurizer, model, _options.Columns), _options.QueryColumnName, model, result.Training);
    }

    /// <summary>The schema after the transformer: the input plus the embedding, documents and scores columns.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A training column is missing or mistyped.</exception>
    public SchemaShape GetOutputSchema(SchemaShape inputSchema) => DualEncoderEstimator.OutputSchema(_mlContext, _options, inputSchema);
}
