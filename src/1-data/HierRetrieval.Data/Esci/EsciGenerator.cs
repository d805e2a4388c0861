using System.Text;

namespace HierRetrieval.Data.Esci;

/// <summary>Sizes of a generated ESCI-style dataset.</summary>
public sealed record EsciGeneratorOptions
{
    /// <summary>Product families (each a group of types sharing a family word).</summary>
    public int Families { get; init; } = 12;

    /// <summary>Product types per family.</summary>
    public int TypesPerFamily { get; init; } = 4;

    /// <summary>Products per type.</summary>
    public int ProductsPerType { get; init; } = 25;

    /// <summary>Queries per type.</summary>
    public int QueriesPerType { get; init; } = 8;

    /// <summary>Judged products per query and label: exact, substitute, complement, irrelevant.</summary>
    public int JudgementsPerLabel { get; init; } = 4;

    /// <summary>Fraction of queries in the test split.</summary>
    public double TestFraction { get; init; } = 0.2;

    /// <summary>Seed of every random choice.</summary>
    public int Seed { get; init; }
}

/// <summary>
/// Generates synthetic data in the Shopping Queries Dataset's exact schema, for tests and demos (the real files are
/// not reachable from every machine; a user with them points the same commands at them). It is synthetic: made-up
/// words, not shopping text.
/// </summary>
/// <remarks>
/// Products belong to types, types to families; a product's title names its brand, family word, type word and
/// colour. A query names a type (and sometimes a colour). Exact products are of that type; substitutes are of the
/// type's designated substitute, a type of another family chosen at random, so that only Substitute pairs teach the
/// substitution (Exact pairs cannot); complements come from the type's complement family; irrelevant products from
/// other families. Some optional product fields are left empty and versions and splits vary, so filters and missing
/// fields are exercised; every row is in the "us" locale.
/// </remarks>
public static class EsciGenerator
{
    private static readonly string[] Colors = ["black", "white", "red", "blue", "green", "grey", "silver", "pink"];

    /// <summary>The examples and products tables.</summary>
    public static (IReadOnlyList<EsciExample> Examples, IReadOnlyList<EsciProduct> Products) Generate(EsciGeneratorOptions options)
    {
        var random = new Random(options.Seed);
        var words = new WordMaker(random);
        int types = options.Families * options.TypesPerFamily;
        string[] familyWords = [.. Enumerable.Range(0, options.Families).Select(_ => words.Next())];
        string[] typeWords = [.. Enumerable.Range(0, types).Select(_ => words.Next())];
        string[] brands = [.. Enumerable.Range(0, 30).Select(_ => Capitalize(words.Next()))];
        string[] fillers = [.. Enumerable.Range(0, 200).Select(_ => words.Next())];
        int FamilyOf(int type) => type / options.TypesPerFamily;
        int[] substitute = [.. Enumerable.Range(0, types).Select(t => OtherFamilyType(t))];
        int[] complementFamily = [.. Enumerable.Range(0, options.Families).Select(f => (f + 1 + random.Next(options.Families - 1)) % options.Families)];

        var products = new List<EsciProduct>();
        var productsOfType = new List<int>[types];
        for (int t = 0; t < types; t++)
        {
            productsOfType[t] = [];
            for (int p = 0; p < options.ProductsPerType; p++)
            {
                string color = Colors[random.Next(Colors.Length)], brand = brands[random.Next(brands.Length)];
                string title = $"{brand} {familyWords[FamilyOf(t)]} {typeWords[t]} {color} {Fill(3)}";
                productsOfType[t].Add(products.Count);
                products.Add(new EsciProduct(
                    $"P{products.Count:D6}", "us", title,
                    random.NextDouble() < 0.3 ? null : $"{Fill(12)}.",
                    random.NextDouble() < 0.2 ? null : $"{typeWords[t]} {Fill(4)}",
                    random.NextDouble() < 0.1 ? null : brand,
                    random.NextDouble() < 0.1 ? null : color));
            }
        }

        var examples = new List<EsciExample>();
        long queryId = 0;
        for (int t = 0; t < types; t++)
        {
            for (int q = 0; q < options.QueriesPerType; q++, queryId++)
            {
                string query = random.NextDouble() < 0.5 ? $"{typeWords[t]} {familyWords[FamilyOf(t)]}" : $"{Colors[random.Next(Colors.Length)]} {typeWords[t]}";
                string split = random.NextDouble() < options.TestFraction ? "test" : "train";
                bool small = random.NextDouble() < 0.5;
                Judge(EsciLabel.Exact, productsOfType[t]);
                Judge(EsciLabel.Substitute, productsOfType[substitute[t]]);
                Judge(EsciLabel.Complement, productsOfType[(complementFamily[FamilyOf(t)] * options.TypesPerFamily) + random.Next(options.TypesPerFamily)]);
                Judge(EsciLabel.Irrelevant, [.. Enumerable.Range(0, 8).Select(_ => random.Next(products.Count)).Where(p => FamilyOf(p / options.ProductsPerType) != FamilyOf(t))]);

                void Judge(EsciLabel label, List<int> pool)
                {
                    foreach (int p in pool.OrderBy(_ => random.Next()).Take(options.JudgementsPerLabel))
                    {
                        examples.Add(new EsciExample(examples.Count, query, queryId, products[p].ProductId, "us", label, small, LargeVersion: true, split));
                    }
                }
            }
        }

        return (examples, products);

        int OtherFamilyType(int type)
        {
            int family = (FamilyOf(type) + 1 + random.Next(options.Families - 1)) % options.Families;
            return (family * options.TypesPerFamily) + random.Next(options.TypesPerFamily);
        }

        string Fill(int count) => string.Join(' ', Enumerable.Range(0, count).Select(_ => fillers[random.Next(fillers.Length)]));
    }

    private static string Capitalize(string word) => char.ToUpperInvariant(word[0]) + word[1..];

    /// <summary>Pronounceable made-up words, never the same twice.</summary>
    private sealed class WordMaker(Random random)
    {
        private const string Consonants = "bcdfghklmnprstvz";
        private const string Vowels = "aeiou";
        private readonly HashSet<string> _used = [];

        public string Next()
        {
            while (true)
            {
                var word = new StringBuilder();
                int syllables = 2 + random.Next(2);
                for (int s = 0; s < syllables; s++)
                {
                    word.Append(Consonants[random.Next(Consonants.Length)]).Append(Vowels[random.Next(Vowels.Length)]);
                }

                if (_used.Add(word.ToString()))
                {
                    return word.ToString();
                }
            }
        }
    }
}
