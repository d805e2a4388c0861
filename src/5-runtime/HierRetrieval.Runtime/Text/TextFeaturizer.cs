using HierRetrieval.Export.Onnx;
using HierRetrieval.Data.Features;
using Microsoft.ML;
using Microsoft.ML.Data;
using HierRetrieval.Runtime.Zips;
using Microsoft.ML.Transforms.Text;

namespace HierRetrieval.Runtime.Text;

/// <summary>
/// Tokenisation and features for text towers, made of ML.NET built-ins so that a fitted model's zip carries them:
/// NormalizeText (lower case, no punctuation or diacritics) -> words -> a learned word vocabulary -> word n-gram
/// counts, and character n-gram counts over the normalised text, concatenated into one count vector named
/// <see cref="TextTowerOnnx.FeaturesName"/>. Training reads the same transform's output, so the ids on the training
/// side and in the saved model are the same by construction.
/// </summary>
public sealed class TextFeaturizer
{
    private const string Normalized = "hierret.text", Words = "hierret.words", WordKeys = "hierret.wordkeys", WordBag = "hierret.wordbag", Chars = "hierret.chars", CharBag = "hierret.charbag";
    private readonly MLContext _mlContext;

    private TextFeaturizer(MLContext mlContext, ITransformer transformer, string inputColumnName, int featureCount)
    {
        _mlContext = mlContext;
        Transformer = transformer;
        InputColumnName = inputColumnName;
        FeatureCount = featureCount;
    }

    /// <summary>The fitted chain of built-ins: text column in, <see cref="TextTowerOnnx.FeaturesName"/> out.</summary>
    public ITransformer Transformer { get; }

    /// <summary>The text column it reads.</summary>
    public string InputColumnName { get; }

    /// <summary>Length of the feature vector.</summary>
    public int FeatureCount { get; }

    /// <summary>Learns the vocabularies from <paramref name="texts"/>.</summary>
    /// <exception cref="ArgumentException">No text, or the options turn every feature off.</exception>
    public static TextFeaturizer Fit(MLContext mlContext, IEnumerable<string> texts, TextFeaturizerOptions options, string inputColumnName = "Text")
    {
        var data = OnnxChains.TextView(mlContext, texts, inputColumnName);
        IEstimator<ITransformer> chain = mlContext.Transforms.Text.NormalizeText(Normalized, inputColumnName, TextNormalizingEstimator.CaseMode.Lower, keepDiacritics: false, keepPunctuations: false, keepNumbers: true);
        var bags = new List<string>();
        if (options.WordNgramLength > 0)
        {
            chain = chain.Append(mlContext.Transforms.Text.TokenizeIntoWords(Words, Normalized))
                .Append(mlContext.Transforms.Conversion.MapValueToKey(WordKeys, Words))
                .Append(mlContext.Transforms.Text.ProduceNgrams(WordBag, WordKeys, options.WordNgramLength, useAllLengths: true, maximumNgramsCount: options.MaximumWordNgrams));
            bags.Add(WordBag);
        }

        if (options.CharNgramLength > 0)
        {
            chain = chain.Append(mlContext.Transforms.Text.TokenizeIntoCharactersAsKeys(Chars, Normalized, useMarkerCharacters: true))
                .Append(mlContext.Transforms.Text.ProduceNgrams(CharBag, Chars, options.CharNgramLength, useAllLengths: false, maximumNgramsCount: options.MaximumCharNgrams));
            bags.Add(CharBag);
        }

        if (bags.Count == 0)
        {
            throw new ArgumentException("the options turn off both word and character features", nameof(options));
        }

        string[] internals = [Normalized, .. options.WordNgramLength > 0 ? new[] { Words, WordKeys } : [], .. options.CharNgramLength > 0 ? new[] { Chars } : [], .. bags];
        chain = chain.Append(mlContext.Transforms.Concatenate(TextTowerOnnx.FeaturesName, [.. bags]))
            .Append(mlContext.Transforms.DropColumns(internals));
        var transformer = chain.Fit(data);
        var type = transformer.GetOutputSchema(data.Schema)[TextTowerOnnx.FeaturesName].Type as VectorDataViewType;
        return new TextFeaturizer(mlContext, transformer, inputColumnName, type!.Size);
    }

    /// <summary>The fitted featurizer followed by <paramref name="head"/>, fitted on the featurizer's output schema (every step after it is a fixed mapping).</summary>
    public ITransformer Then(IEstimator<ITransformer> head) =>
        new TransformerChain<ITransformer>(Transformer, head.Fit(Transformer.Transform(OnnxChains.EmptyText(_mlContext, InputColumnName))));

    /// <summary>The feature counts of each text, as the bags a text tower reads (item i = text i).</summary>
    public FeatureBags Featurize(IReadOnlyList<string> texts) =>
        ReadBags(Transformer.Transform(OnnxChains.TextView(_mlContext, texts, InputColumnName)), texts.Count, FeatureCount);

    /// <summary>The <see cref="TextTowerOnnx.FeaturesName"/> column of a featurized view of <paramref name="rows"/> rows, as bags.</summary>
    public static FeatureBags ReadBags(IDataView transformed, int rows, int featureCount)
    {
        var offsets = new int[rows + 1];
        var features = new List<int>();
        var weights = new List<float>();
        using var cursor = transformed.GetRowCursor([transformed.Schema[TextTowerOnnx.FeaturesName]]);
        var getter = cursor.GetGetter<VBuffer<float>>(transformed.Schema[TextTowerOnnx.FeaturesName]);
        VBuffer<float> vector = default;
        int row = 0;
        while (cursor.MoveNext())
        {
            getter(ref vector);
            foreach (var (index, value) in vector.Items())
            {
                if (value != 0)
                {
                    features.Add(index);
                    weights.Add(value);
                }
            }

            offsets[++row] = features.Count;
        }

        return new FeatureBags(featureCount, offsets, [.. features], [.. weights]);
    }
}
