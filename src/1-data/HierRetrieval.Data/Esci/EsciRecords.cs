namespace HierRetrieval.Data.Esci;

/// <summary>The ESCI relevance label of a (query, product) judgement.</summary>
public enum EsciLabel
{
    /// <summary>E: the product is relevant and satisfies every specification of the query.</summary>
    Exact,

    /// <summary>S: the product is somewhat relevant and can stand in for the one asked for.</summary>
    Substitute,

    /// <summary>C: the product does not fulfil the query but could be used with an exact item.</summary>
    Complement,

    /// <summary>I: the product is irrelevant.</summary>
    Irrelevant,
}

/// <summary>One row of the examples table (the Shopping Queries Dataset's schema).</summary>
public sealed record EsciExample(
    long ExampleId, string Query, long QueryId, string ProductId, string Locale, EsciLabel Label, bool SmallVersion, bool LargeVersion, string Split);

/// <summary>One row of the products table; every text field may be missing.</summary>
public sealed record EsciProduct(
    string ProductId, string Locale, string? Title, string? Description, string? BulletPoint, string? Brand, string? Color);

/// <summary>Labels as written in the files, and the gains used for NDCG.</summary>
public static class EsciLabels
{
    /// <summary>Reads E, S, C or I (any case; the full English names are accepted too).</summary>
    public static bool TryParse(string? text, out EsciLabel label)
    {
        switch (text?.Trim().ToUpperInvariant())
        {
            case "E" or "EXACT": label = EsciLabel.Exact; return true;
            case "S" or "SUBSTITUTE": label = EsciLabel.Substitute; return true;
            case "C" or "COMPLEMENT": label = EsciLabel.Complement; return true;
            case "I" or "IRRELEVANT": label = EsciLabel.Irrelevant; return true;
            default: label = default; return false;
        }
    }

    /// <summary>The one-letter form written to files.</summary>
    public static string Code(EsciLabel label) => label switch
    {
        EsciLabel.Exact => "E",
        EsciLabel.Substitute => "S",
        EsciLabel.Complement => "C",
        _ => "I",
    };

    /// <summary>The gain of a label in NDCG: E 1.0, S 0.1, C 0.01, I 0.</summary>
    public static double Gain(EsciLabel label) => label switch
    {
        EsciLabel.Exact => 1.0,
        EsciLabel.Substitute => 0.1,
        EsciLabel.Complement => 0.01,
        _ => 0,
    };
}
