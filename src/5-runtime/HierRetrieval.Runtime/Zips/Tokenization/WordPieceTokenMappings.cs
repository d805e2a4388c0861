using HierRetrieval.Runtime.Text.Backbones;
using Microsoft.ML;
using Microsoft.ML.Tokenizers;

namespace HierRetrieval.Runtime.Zips.Tokenization;

/// <summary>
/// The tokenisation step of a backbone model zip: raw text to WordPiece ids and attention mask, padded to the
/// encoder's token limit. ML.NET built-ins cannot express WordPiece, so the step is a CustomMapping whose contract
/// name (<c>HierRetrieval.WordPiece.{vocabulary}.{limit}</c>) names a vocabulary this runtime carries
/// (<see cref="WordPieceVocabularies"/>); a program that loads such a zip with <c>mlContext.Model.Load</c> first
/// registers this assembly: <c>mlContext.ComponentCatalog.RegisterAssembly(typeof(WordPieceTokenMappings).Assembly)</c>.
/// </summary>
public static class WordPieceTokenMappings
{
    /// <summary>The column the mapping reads: the query text, copied from the user's column.</summary>
    public const string TextColumnName = "hierret.text";

    /// <summary>The token limits a zip supports (an encoder's limit must be one of them).</summary>
    public static IReadOnlyList<int> TokenLimits { get; } = [128, 256, 512];

    private static readonly Lazy<BertTokenizer> BertBaseUncased = new(() =>
        WordPieceTokenizers.Uncased(WordPieceVocabularies.Get(WordPieceVocabularies.BertBaseUncased), WordPieceVocabularies.BertBaseUncased));

    /// <summary>The mapping for <paramref name="encoder"/>'s vocabulary and token limit.</summary>
    /// <exception cref="NotSupportedException">The runtime carries no mapping for the encoder's vocabulary or token limit, so a zip could not be loaded; the message says which.</exception>
    public static IEstimator<ITransformer> For(MLContext mlContext, SentenceEncoderModel encoder)
    {
        string contract = ContractFor(encoder);
        return encoder.MaxTokens switch
        {
            128 => mlContext.Transforms.CustomMapping(new BertBaseUncased128().GetMapping(), contract),
            256 => mlContext.Transforms.CustomMapping(new BertBaseUncased256().GetMapping(), contract),
            _ => mlContext.Transforms.CustomMapping(new BertBaseUncased512().GetMapping(), contract),
        };
    }

    /// <summary>The ML.NET contract name of <paramref name="encoder"/>'s tokenizer mapping (<c>HierRetrieval.WordPiece.{vocabulary}.{limit}</c>).</summary>
    /// <exception cref="NotSupportedException">The runtime carries no mapping for the encoder's vocabulary or token limit, so a zip could not be loaded; the message says which.</exception>
    public static string ContractFor(SentenceEncoderModel encoder)
    {
        string vocabulary = WordPieceVocabularies.NameOf(encoder.Vocabulary)
            ?? throw new NotSupportedException($"{encoder.Name}: a model zip cannot carry this encoder's tokenizer: its vocabulary is none of those the scoring runtime carries ({string.Join(", ", WordPieceVocabularies.Names)})");
        return TokenLimits.Contains(encoder.MaxTokens)
            ? $"HierRetrieval.WordPiece.{vocabulary}.{encoder.MaxTokens}"
            : throw new NotSupportedException($"{encoder.Name}: a model zip supports token limits of {string.Join(", ", TokenLimits)}, not {encoder.MaxTokens}");
    }

    /// <summary>Writes the ids of <paramref name="text"/> ([CLS], WordPieces, [SEP], cut to the limit as <see cref="SentenceEncoder.Tokenize"/> does) and their mask, zero-padded.</summary>
    internal static void Fill(string? text, long[] ids, long[] mask)
    {
        var tokens = BertBaseUncased.Value.EncodeToIds(text ?? "", ids.Length, addSpecialTokens: true, out _, out _);
        for (int t = 0; t < tokens.Count; t++)
        {
            ids[t] = tokens[t];
            mask[t] = 1;
        }
    }
}
