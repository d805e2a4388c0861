using System.Reflection;
using System.Text;

namespace HierRetrieval.Runtime.Text.Backbones;

/// <summary>
/// The WordPiece vocabularies this runtime carries, so that a model zip's tokenizer mapping needs no file at load
/// time: <c>bert-base-uncased</c> (30,522 tokens), the vocabulary of all-MiniLM-L6-v2 and arctic-embed-xs.
/// </summary>
public static class WordPieceVocabularies
{
    /// <summary>The name of the uncased BERT vocabulary.</summary>
    public const string BertBaseUncased = "bert-base-uncased";

    private static readonly Lazy<byte[]> BertBaseUncasedBytes = new(() => Read(BertBaseUncased));

    /// <summary>The names of the vocabularies carried.</summary>
    public static IReadOnlyList<string> Names { get; } = [BertBaseUncased];

    /// <summary>The vocab.txt bytes of the vocabulary called <paramref name="name"/>.</summary>
    /// <exception cref="ArgumentException">The runtime carries no vocabulary of that name.</exception>
    public static byte[] Get(string name) => name == BertBaseUncased
        ? BertBaseUncasedBytes.Value
        : throw new ArgumentException($"the runtime carries no WordPiece vocabulary called '{name}'; it carries {string.Join(", ", Names)}", nameof(name));

    /// <summary>The name of the carried vocabulary with the same tokens, in the same order, as <paramref name="vocabulary"/> (line endings aside), or null.</summary>
    public static string? NameOf(byte[] vocabulary) =>
        Names.FirstOrDefault(name => Tokens(Get(name)).SequenceEqual(Tokens(vocabulary), StringComparer.Ordinal));

    private static IEnumerable<string> Tokens(byte[] vocabulary) =>
        Encoding.UTF8.GetString(vocabulary).Split('\n').Select(line => line.TrimEnd('\r')).Reverse().SkipWhile(line => line.Length == 0).Reverse();

    private static byte[] Read(string name)
    {
        string resource = $"HierRetrieval.Runtime.Vocabularies.{name}.txt";
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream(resource)
            ?? throw new InvalidOperationException($"the runtime assembly lacks its resource {resource}");
        var bytes = new byte[stream.Length];
        stream.ReadExactly(bytes);
        return bytes;
    }
}
