namespace HierRetrieval.Data.Esci;

/// <summary>Which product fields make up a product's text, in order.</summary>
public enum ProductField
{
    /// <summary>product_title.</summary>
    Title,

    /// <summary>product_brand.</summary>
    Brand,

    /// <summary>product_color.</summary>
    Color,

    /// <summary>product_bullet_point.</summary>
    BulletPoint,

    /// <summary>product_description.</summary>
    Description,
}

/// <summary>Which examples to keep and how to compose product text.</summary>
public sealed record EsciLoadOptions
{
    /// <summary>Keep one locale (us, es, jp); null keeps all.</summary>
    public string? Locale { get; init; }

    /// <summary>Keep the small version's rows (small_version = 1) only; false keeps the large version (every row with large_version = 1).</summary>
    public bool SmallVersion { get; init; }

    /// <summary>Keep one split (train or test); null keeps both.</summary>
    public string? Split { get; init; }

    /// <summary>The fields joined (with spaces, missing ones left out) into a product's text.</summary>
    public IReadOnlyList<ProductField> ProductText { get; init; } = [ProductField.Title, ProductField.Brand, ProductField.Color, ProductField.BulletPoint];
}

/// <summary>A (query, product) judgement after the join: the texts both towers read, and the label.</summary>
public sealed record EsciJudgement(long QueryId, string Query, string ProductId, string ProductText, EsciLabel Label);

/// <summary>
/// The examples joined with the products on (locale, product_id) and filtered by locale, version and split. An example
/// whose product is missing, or whose product has no text in the chosen fields, is dropped and counted in the report.
/// </summary>
public sealed class EsciDataset
{
    private EsciDataset(IReadOnlyList<EsciJudgement> judgements, IReadOnlyDictionary<string, string> productTexts, EsciReadReport report)
    {
        Judgements = judgements;
        ProductTexts = productTexts;
        ProductIds = [.. productTexts.Keys.Order(StringComparer.Ordinal)];
        Report = report;
    }

    /// <summary>The kept judgements, in file order.</summary>
    public IReadOnlyList<EsciJudgement> Judgements { get; }

    /// <summary>The text of every product of the kept locale(s) with text, by product id: the corpus to retrieve from. Filter by locale when ids repeat across locales.</summary>
    public IReadOnlyDictionary<string, string> ProductTexts { get; }

    /// <summary>The ids of <see cref="ProductTexts"/> in ordinal order: the row order of an embedded corpus.</summary>
    public IReadOnlyList<string> ProductIds { get; }

    /// <summary>Rows read, rejected and dropped, by reason, across both files and the join.</summary>
    public EsciReadReport Report { get; }

    /// <summary>Reads both files and joins them.</summary>
    /// <exception cref="FileNotFoundException">A file does not exist.</exception>
    /// <exception cref="InvalidDataException">A file lacks a column or cannot be read as its format.</exception>
    public static async Task<EsciDataset> LoadAsync(string examplesPath, string productsPath, EsciLoadOptions options, CancellationToken cancellationToken = default)
    {
        var examples = await EsciFiles.ReadExamplesAsync(examplesPath, cancellationToken).ConfigureAwait(false);
        var products = await EsciFiles.ReadProductsAsync(productsPath, cancellationToken).ConfigureAwait(false);
        return Join(examples, products, options);
    }

    /// <summary>Joins tables already read.</summary>
    public static EsciDataset Join(EsciTable<EsciExample> examples, EsciTable<EsciProduct> products, EsciLoadOptions options)
    {
        var report = new EsciReadReport();
        report.Merge(examples.Report);
        report.Merge(products.Report);
        var texts = new Dictionary<(string Locale, string Id), string>();
        foreach (var product in products.Rows.Where(p => options.Locale is null || p.Locale == options.Locale))
        {
            string text = Compose(product, options.ProductText);
            if (text.Length == 0)
            {
                report.Count("product without text");
            }
            else if (!texts.TryAdd((product.Locale, product.ProductId), text))
            {
                report.Count("duplicate product");
            }
        }

        var judgements = new List<EsciJudgement>();
        foreach (var example in examples.Rows)
        {
            if ((options.Locale is not null && example.Locale != options.Locale)
                || (options.SmallVersion ? !example.SmallVersion : !example.LargeVersion)
                || (options.Split is not null && example.Split != options.Split))
            {
                report.Count("filtered out");
            }
            else if (!texts.TryGetValue((example.Locale, example.ProductId), out string? text))
            {
                report.Count("example whose product is missing or has no text");
            }
            else
            {
                judgements.Add(new EsciJudgement(example.QueryId, example.Query, example.ProductId, text, example.Label));
            }
        }

        var corpus = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var ((_, id), text) in texts)
        {
            if (!corpus.TryAdd(id, text))
            {
                report.Count("product id in several locales (first kept; filter by locale)");
            }
        }

        return new EsciDataset(judgements, corpus, report);
    }

    private static string Compose(EsciProduct product, IReadOnlyList<ProductField> fields) =>
        string.Join(' ', fields.Select(field => field switch
        {
            ProductField.Title => product.Title,
            ProductField.Brand => product.Brand,
            ProductField.Color => product.Color,
            ProductField.BulletPoint => product.BulletPoint,
            _ => product.Description,
        }).Where(text => !string.IsNullOrWhiteSpace(text)).Select(text => text!.Trim()));
}
