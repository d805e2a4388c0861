namespace HierRetrieval.Runtime.Text;

/// <summary>How text becomes features: normalised words and character n-grams, counted, with learned vocabularies.</summary>
public sealed record TextFeaturizerOptions
{
    /// <summary>Word n-grams up to this length (1 = words only).</summary>
    public int WordNgramLength { get; init; } = 1;

    /// <summary>Character n-gram length (0 turns character features off).</summary>
    public int CharNgramLength { get; init; } = 3;

    /// <summary>Most word n-grams kept (the most frequent).</summary>
    public int MaximumWordNgrams { get; init; } = 100_000;

    /// <summary>Most character n-grams kept (the most frequent).</summary>
    public int MaximumCharNgrams { get; init; } = 100_000;
}
