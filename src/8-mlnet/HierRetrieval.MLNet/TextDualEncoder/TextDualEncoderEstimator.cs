using HierRetrieval.Export.Models;
using HierRetrieval.MLNet.Schema;
using HierRetrieval.Retrieval;
using HierRetrieval.Runs;
using HierRetrieval.Runtime.Text;
using HierRetrieval.Runtime.Text.Backbones;
using HierRetrieval.Runtime.Zips;
using HierRetrieval.Runtime.Zips.Tokenization;
using HierRetrieval.Training;
using HierRetrieval.Training.Towers;
using Microsoft.ML;

namespace HierRetrieval.MLNet;

/// <summary>
/// Trains text towers, or heads over a pretrained sentence encoder, on (query text, document text, distance) pairs
/// with the two-stage recipe and returns a <see cref="TextDualEncoderTransformer"/> that embeds any query text, seen
/// or not. Created by <c>mlContext.HierarchicalRetrieval().Trainers.TextDualEncoder</c>.
/// </summary>
/// <remarks>
/// The documents retrieved are the distinct texts of the document column. From scratch, the featurizer's
/// vocabularies are learned from the training texts; a word never seen contributes only its known character n-grams.
/// Over a backbone, every distinct text is encoded once by the frozen encoder, and the zip embeds new text with the
/// same tokenizer and graph; a program that loads that zip first calls
/// <c>mlContext.ComponentCatalog.RegisterAssembly(typeof(WordPieceTokenMappings).Assembly)</c>.
/// </remarks>
public sealed class TextDualEncoderEstimator : IEstimator<TextDualEncoderTransformer>
{
    private readonly MLContext _mlContext;
    private readonly TextDualEncoderOptions _options;

    internal TextDualEncoderEstimator(MLContext mlContext, TextDualEncoderOptions options)
    {
        DualEncoderEstimator.Validate(options);
        if (options.Backbone is { } backbone)
        {
            _ = WordPieceTokenMappings.ContractFor(backbone);
            if (options.Heads.ItemEmbeddings)
            {
                throw new ArgumentException("Heads.ItemEmbeddings is not available in a text dual encoder: a new query text has no item of its own", nameof(options));
            }
        }

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
        return _options.Backbone is { } backbone ? FitHeads(pairs, run, backbone) : FitTowers(pairs, run);
    }

    private TextDualEncoderTransformer FitTowers(TrainingPairs pairs, RunInput run)
    {
        var featurizer = TextFeaturizer.Fit(_mlContext, pairs.Names, _options.Features, _options.QueryColumnName);
        var bags = featurizer.Featurize(pairs.Names);
        using var towers = new TextTowerPair(bags, bags, _options.Trainer, _options.Towers, _options.SharedTowers);
        var result = DualEncoderEstimator.Run(_options).Train(run, towers.Queries, towers.Documents, _options.Progress);
        int[] documentRows = DocumentRows(pairs);
        var model = ExportedTextRetrievalModel.FromWeights(
            towers.Queries.ExportWeights(), towers.Documents.ExportWeights(), [.. documentRows.Select(row => pairs.Names[row])],
            result.Embeddings.Documents.SelectRows(documentRows), Math.Min(_options.TopK, documentRows.Length));
        return new TextDualEncoderTransformer(TextRetrievalChain.Create(_mlContext, featurizer, model, _options.Columns), _options.QueryColumnName, model, result.Training);
    }

    private TextDualEncoderTransformer FitHeads(TrainingPairs pairs, RunInput run, SentenceEncoderModel backbone)
    {
        EmbeddingMatrix sentences;
        using (var encoder = new SentenceEncoder(backbone, new SentenceEncoderOptions { Threads = _options.Trainer.Threads }))
        {
            sentences = _options.EmbeddingCache is { } folder ? new SentenceEmbeddingCache(folder).Encode(encoder, pairs.Names).Embeddings : encoder.Encode(pairs.Names);
        }

        var trainer = _options.Trainer;
        var device = DualEncoderTrainer.ResolveDevice(trainer.Device);
        using var queries = new BackboneTower(sentences, trainer.Dimension, _options.Heads, trainer.Seed, device);
        using var separate = _options.SharedTowers ? null : new BackboneTower(sentences, trainer.Dimension, _options.Heads, trainer.Seed + 1L, device);
        var documents = separate ?? queries;
        var result = DualEncoderEstimator.Run(_options).Train(run, queries, documents, _options.Progress);
        int[] documentRows = DocumentRows(pairs);
        var model = ExportedBackboneRetrievalModel.FromWeights(
            queries.ExportWeights(), documents.ExportWeights(), [.. documentRows.Select(row => pairs.Names[row])],
            result.Embeddings.Documents.SelectRows(documentRows), Math.Min(_options.TopK, documentRows.Length));
        return new TextDualEncoderTransformer(BackboneRetrievalChain.Create(_mlContext, backbone, model, _options.Columns), _options.QueryColumnName, model, result.Training);
    }

    /// <summary>The rows of the distinct documents (every document of a pair, held-out pairs included), in order.</summary>
    private static int[] DocumentRows(TrainingPairs pairs) => [.. pairs.Pairs.Concat(pairs.HeldOut).Select(p => p.Document).Distinct().Order()];

    /// <summary>The schema after the transformer: the input plus the embedding, documents and scores columns.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A training column is missing or mistyped.</exception>
    public SchemaShape GetOutputSchema(SchemaShape inputSchema) => DualEncoderEstimator.OutputSchema(_mlContext, _options, inputSchema);
}
