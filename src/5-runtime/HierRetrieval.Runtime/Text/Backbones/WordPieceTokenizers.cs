using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.ML.Tokenizers;

namespace HierRetrieval.Runtime.Text.Backbones;

/// <summary>
/// BERT WordPiece tokenizers (Microsoft.ML.Tokenizers) that give the token ids the Hugging Face tokenizer gives, as
/// the encoders were trained with.
/// </summary>
/// <remarks>
/// Two settings differ from the library's defaults. Its normaliser deletes tab and line breaks instead of reading
/// them as spaces (gluing the words on either side) and recomposes to NFC; and its pre-tokenizer (<c>\w+|[\p{P}]</c>)
/// drops every character that is neither a word character nor Unicode punctuation (<c>$ + &lt; = &gt; | ~ €</c>, emoji).
/// Here every white-space character becomes a space, control, format and unassigned characters are dropped, the
/// text stays decomposed, and ASCII symbols count as punctuation, as in Hugging Face's BERT pre-tokenizer.
/// </remarks>
public static class WordPieceTokenizers
{
    private const string Punctuation = @"\p{P}$+<=>^`|~";
    private static readonly Regex WordOrPunctuation = new($@"[{Punctuation}]|[^\s{Punctuation}]+", RegexOptions.Compiled | RegexOptions.CultureInvariant);

    /// <summary>An uncased BERT tokenizer (lower case, accents stripped, CJK characters apart) over a vocab.txt.</summary>
    /// <exception cref="InvalidDataException">The vocabulary lacks one of [UNK], [CLS], [SEP], [PAD] or [MASK]; the message names <paramref name="source"/>.</exception>
    /// <exception cref="NotSupportedException">The process runs in invariant-globalization mode, which cannot decompose accented letters.</exception>
    public static BertTokenizer Uncased(byte[] vocabulary, string source)
    {
        if ("\u00e9".Normalize(NormalizationForm.FormD).Length != 2)
        {
            throw new NotSupportedException("WordPiece tokenisation needs Unicode normalisation, which this process lacks: it runs with InvariantGlobalization (or DOTNET_SYSTEM_GLOBALIZATION_INVARIANT); turn it off (ICU is needed)");
        }

        BertTokenizer library;
        try
        {
            library = BertTokenizer.Create(new MemoryStream(vocabulary, writable: false), Options(normalizer: null, preTokenizer: null));
        }
        catch (ArgumentException e)
        {
            throw new InvalidDataException($"{source}: not a WordPiece vocabulary ({e.Message})", e);
        }

        var specials = new Dictionary<string, int>
        {
            ["[unk]"] = library.UnknownTokenId,
            ["[cls]"] = library.ClassificationTokenId,
            ["[sep]"] = library.SeparatorTokenId,
            ["[pad]"] = library.PaddingTokenId,
            ["[mask]"] = library.MaskingTokenId,
        };
        return BertTokenizer.Create(
            new MemoryStream(vocabulary, writable: false),
            Options(new CleanTextNormalizer(library.Normalizer!), new RegexPreTokenizer(WordOrPunctuation, specials)));
    }

    private static BertOptions Options(Normalizer? normalizer, PreTokenizer? preTokenizer) => new()
    {
        LowerCaseBeforeTokenization = true,
        IndividuallyTokenizeCjk = true,
        RemoveNonSpacingMarks = true,
        SplitOnSpecialTokens = true,
        Normalizer = normalizer,
        PreTokenizer = preTokenizer,
    };

    /// <summary>Hugging Face's clean-text step before the library's own BERT normaliser, and NFD after it.</summary>
    private sealed class CleanTextNormalizer(Normalizer inner) : Normalizer
    {
        public override string Normalize(string original) => inner.Normalize(Clean(original)).Normalize(NormalizationForm.FormD);

        public override string Normalize(ReadOnlySpan<char> original) => Normalize(original.ToString());

        private static string Clean(string text)
        {
            int printable = 0;
            while (printable < text.Length && text[printable] is >= ' ' and < '\u007f')
            {
                printable++;
            }

            if (printable == text.Length)
            {
                return text;
            }

            var cleaned = new StringBuilder(text.Length).Append(text, 0, printable);
            foreach (char c in text.AsSpan(printable))
            {
                if (char.IsWhiteSpace(c))
                {
                    cleaned.Append(' ');
                }
                else if (c != '\uFFFD' && CharUnicodeInfo.GetUnicodeCategory(c) is not (UnicodeCategory.Control or UnicodeCategory.Format or UnicodeCategory.PrivateUse or UnicodeCategory.OtherNotAssigned))
                {
                    cleaned.Append(c);
                }
            }

            return cleaned.ToString();
        }
    }
}
