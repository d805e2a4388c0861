namespace HierRetrieval.Data.Esci;

/// <summary>The column names of the two tables, as in the official release.</summary>
public static class EsciColumns
{
    /// <summary>Columns of the examples table, in the release's order.</summary>
    public static readonly IReadOnlyList<string> Examples =
        ["example_id", "query", "query_id", "product_id", "product_locale", "esci_label", "small_version", "large_version", "split"];

    /// <summary>Columns of the products table, in the release's order.</summary>
    public static readonly IReadOnlyList<string> Products =
        ["product_id", "product_title", "product_description", "product_bullet_point", "product_brand", "product_color", "product_locale"];

    /// <summary>The locales of the release.</summary>
    public static readonly IReadOnlyList<string> Locales = ["us", "es", "jp"];

    /// <summary>The splits of the release.</summary>
    public static readonly IReadOnlyList<string> Splits = ["train", "test"];
}
