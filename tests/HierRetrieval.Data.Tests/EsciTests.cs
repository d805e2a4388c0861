using HierRetrieval.Data.Esci;
using HierRetrieval.Tests.Shared;

namespace HierRetrieval.Data.Tests;

public class EsciTests
{
    private static readonly EsciGeneratorOptions Small = new() { Families = 3, TypesPerFamily = 2, ProductsPerType = 5, QueriesPerType = 2, JudgementsPerLabel = 2, Seed = 4 };

    [TestCase("parquet")]
    [TestCase("csv")]
    [TestCase("tsv")]
    public async Task GeneratedTables_WrittenAndRead_RoundTrip(string format)
    {
        using var folder = new TempFolder();
        var (examples, products) = EsciGenerator.Generate(Small);
        string examplesPath = Path.Combine(folder.Path, $"examples.{format}"), productsPath = Path.Combine(folder.Path, $"products.{format}");
        await EsciWriter.WriteExamplesAsync(examplesPath, examples);
        await EsciWriter.WriteProductsAsync(productsPath, products);

        var readExamples = await EsciFiles.ReadExamplesAsync(examplesPath);
        var readProducts = await EsciFiles.ReadProductsAsync(productsPath);
        Assert.Multiple(() =>
        {
            Assert.That(readExamples.Rows, Is.EqualTo(examples));
            Assert.That(readProducts.Rows, Is.EqualTo(products));
            Assert.That(readExamples.Report.Counts[EsciReadReport.ReadKey], Is.EqualTo(examples.Count));
            Assert.That(readExamples.Report.Dropped + readProducts.Report.Dropped, Is.Zero);
            Assert.That(products.Any(p => p.Description is null), Is.True, "some optional fields are missing");
        });
    }

    [Test]
    public void Generator_SameSeed_SameTables_AllFourLabels()
    {
        var (a, _) = EsciGenerator.Generate(Small);
        var (b, _) = EsciGenerator.Generate(Small);
        Assert.That(a, Is.EqualTo(b));
        Assert.That(a.Select(e => e.Label).Distinct().Count(), Is.EqualTo(4));
    }

    [Test]
    public async Task BadRows_AreCountedByReasonWithTheirFileLine_GoodRowsKept()
    {
        using var folder = new TempFolder();
        string path = Path.Combine(folder.Path, "examples.csv");
        string text =
            "example_id,query,query_id,product_id,product_locale,esci_label,small_version,large_version,split\n" +
            "1,\"red, shoes\",10,P1,us,E,1,1,train\n" +
            "2,shoes,10,P2,us,X,1,1,train\n" +
            "3,,11,P3,us,S,0,1,test\n" +
            "four,boots,12,P4,us,C,0,1,test\n" +
            "5,boots,12,P5,us,I,1,1\n" +
            "6,\"multi\nline\",13,P6,us,I,2,1,test\n" +
            "7,boots,12,P7,us,substitute,0,1,test\n" +
            "8,boots,12,P8,de,E,0,1,test\n" +
            "9,boots,12,P9,us,E,0,1,validation\n" +
            "10,b\u00f6ots,12,P10,us,E,0,1,test\n";
        byte[] bytes = System.Text.Encoding.UTF8.GetBytes(text);
        bytes[Array.LastIndexOf(bytes, (byte)0xb6)] = 0xff; // line 12: the second byte of 'ö' becomes invalid
        File.WriteAllBytes(path, bytes);
        var table = await EsciFiles.ReadExamplesAsync(path);
        Assert.Multiple(() =>
        {
            Assert.That(table.Rows.Select(r => r.ExampleId), Is.EqualTo(new long[] { 1, 7 }));
            Assert.That(table.Rows[0].Query, Is.EqualTo("red, shoes"));
            Assert.That(table.Rows[1].Label, Is.EqualTo(EsciLabel.Substitute));
            Assert.That(table.Report.Counts, Is.EquivalentTo(new Dictionary<string, long>
            {
                ["read"] = 10, ["unknown label"] = 1, ["missing field"] = 1, ["bad number"] = 1, ["malformed row"] = 1, ["bad flag"] = 1,
                ["unknown locale"] = 1, ["unknown split"] = 1, ["invalid UTF-8"] = 1,
            }));
            Assert.That(table.Report.FirstProblems, Is.EqualTo(new[]
            {
                $"{path}:3: column 'esci_label': unknown label 'X' (expected E, S, C or I)",
                $"{path}:4: column 'query' is empty",
                $"{path}:5: column 'example_id': 'four' is not an integer",
                $"{path}:6: 8 fields where the header has 9",
                $"{path}:7: column 'small_version': '2' is not 0 or 1",
                $"{path}:10: column 'product_locale': unknown locale 'de' (expected us, es, jp)",
                $"{path}:11: column 'split': unknown split 'validation' (expected train, test)",
                $"{path}:12: bytes that are not valid UTF-8 text",
            }));
        });
    }

    [Test]
    public async Task ParquetInTheReleasesColumnTypes_ReadsEveryField()
    {
        string folder = Repository.Fixture("esci-release-types");
        var examples = await EsciFiles.ReadExamplesAsync(Path.Combine(folder, "shopping_queries_dataset_examples.parquet"));
        var products = await EsciFiles.ReadProductsAsync(Path.Combine(folder, "shopping_queries_dataset_products.parquet"));
        Assert.Multiple(() =>
        {
            Assert.That(examples.Rows, Is.EqualTo(new[]
            {
                new EsciExample(0, "revent 80 cfm", 0, "B000MOO21W", "us", EsciLabel.Irrelevant, false, true, "train"),
                new EsciExample(1, "revent 80 cfm", 0, "B07X3Y6B1V", "us", EsciLabel.Exact, false, true, "train"),
                new EsciExample(2, "!awnmower tires without rims", 1, "B075SCHMPY", "us", EsciLabel.Substitute, true, true, "test"),
                new EsciExample(3, "zapatillas hombre", 2, "B07JGQ2VWP", "es", EsciLabel.Complement, true, true, "test"),
                new EsciExample(4, "ハンドクリーム", 3, "B07RB2N5JJ", "jp", EsciLabel.Exact, false, true, "train"),
            }));
            Assert.That(products.Rows[1], Is.EqualTo(new EsciProduct("B07X3Y6B1V", "us", "Homewerks 7141-80 Bathroom Fan 80 CFM", "A quiet fan", "OUTSTANDING PERFORMANCE", "Homewerks", null)));
            Assert.That(products.Rows[4], Is.EqualTo(new EsciProduct("B07RB2N5JJ", "jp", null, null, null, null, null)));
            Assert.That(examples.Report.Dropped + products.Report.Dropped, Is.Zero);
        });
    }

    [Test]
    public void Join_LocaleFilterAndDuplicates_AreCountedByReason()
    {
        var examples = new EsciTable<EsciExample>(
        [
            new EsciExample(1, "fan", 1, "P1", "us", EsciLabel.Exact, false, true, "train"),
            new EsciExample(2, "fan", 1, "P2", "us", EsciLabel.Substitute, false, true, "train"),
            new EsciExample(3, "ventilador", 2, "P1", "es", EsciLabel.Exact, false, true, "train"),
            new EsciExample(4, "fan", 1, "P9", "us", EsciLabel.Exact, false, true, "train"),
        ], new EsciReadReport());
        var products = new EsciTable<EsciProduct>(
        [
            new EsciProduct("P1", "us", "Fan", null, null, null, null),
            new EsciProduct("P1", "us", "Fan again", null, null, null, null),
            new EsciProduct("P2", "us", "Blower", null, null, null, null),
            new EsciProduct("P1", "es", "Ventilador", null, null, null, null),
            new EsciProduct("P3", "us", null, null, null, null, null),
        ], new EsciReadReport());
        var us = EsciDataset.Join(examples, products, new EsciLoadOptions { Locale = "us" });
        var all = EsciDataset.Join(examples, products, new EsciLoadOptions());
        Assert.Multiple(() =>
        {
            Assert.That(us.Judgements.Select(j => (j.QueryId, j.ProductId, j.ProductText)), Is.EqualTo(new[] { (1L, "P1", "Fan"), (1L, "P2", "Blower") }));
            Assert.That(us.Report.Counts, Is.EquivalentTo(new Dictionary<string, long>
            {
                ["duplicate product"] = 1, ["product without text"] = 1, ["filtered out"] = 1, ["example whose product is missing or has no text"] = 1,
            }));
            Assert.That(all.Judgements.Select(j => j.ProductText), Is.EqualTo(new[] { "Fan", "Blower", "Ventilador" }));
            Assert.That(all.Report.Counts["product id in several locales (first kept; filter by locale)"], Is.EqualTo(1));
        });
    }

    [Test]
    public async Task EmptyFile_IsAnErrorNamingIt()
    {
        using var folder = new TempFolder();
        string path = folder.Write("examples.csv", "");
        Assert.That(async () => await EsciFiles.ReadExamplesAsync(path), Throws.InstanceOf<InvalidDataException>().With.Message.EqualTo($"{path}: the file is empty: there is no header row"));
    }

    [Test]
    public void BadValueQuotedInAMessage_IsCutShort()
    {
        Assert.That(Data.IO.TextExcerpt.Of(new string('x', 1_000_000)), Is.EqualTo(new string('x', 60) + "... (1,000,000 characters)"));
    }

    [Test]
    public async Task BrokenFiles_GetClearErrors()
    {
        using var folder = new TempFolder();
        string quotes = folder.Write("quotes.csv", string.Join(',', EsciColumns.Products) + "\nP1,\"a\"b,,,,,us\n");
        string columns = folder.Write("columns.csv", "product_id,product_title\nP1,x\n");
        string notParquet = folder.Write("products.parquet", "not parquet");
        Assert.Multiple(() =>
        {
            Assert.That(async () => await EsciFiles.ReadProductsAsync(quotes), Throws.InstanceOf<InvalidDataException>().With.Message.Contains("quotes.csv:2: malformed quoting"));
            Assert.That(async () => await EsciFiles.ReadProductsAsync(columns), Throws.InstanceOf<InvalidDataException>().With.Message.Contains("no column product_description, product_bullet_point, product_brand, product_color, product_locale"));
            Assert.That(async () => await EsciFiles.ReadProductsAsync(notParquet), Throws.InstanceOf<InvalidDataException>().With.Message.Contains("not a readable Parquet file"));
            Assert.That(async () => await EsciFiles.ReadProductsAsync(Path.Combine(folder.Path, "none.csv")), Throws.InstanceOf<FileNotFoundException>());
        });
    }

    [Test]
    public void Join_FiltersAndMissingProducts_AreCounted_TextIsComposed()
    {
        var empty = new EsciReadReport();
        EsciExample Example(long id, string product, bool small, string split) => new(id, "q", 1, product, "us", EsciLabel.Exact, small, true, split);
        var examples = new EsciTable<EsciExample>([Example(1, "P1", true, "train"), Example(2, "P2", true, "train"), Example(3, "P1", false, "train"), Example(4, "P1", true, "test"), Example(5, "P3", true, "train")], empty);
        var products = new EsciTable<EsciProduct>([
            new("P1", "us", "Title one", null, "bullet", "Brand", null),
            new("P3", "us", null, "only a description", null, null, null),
        ], new EsciReadReport());

        var dataset = EsciDataset.Join(examples, products, new EsciLoadOptions { SmallVersion = true, Split = "train" });
        Assert.Multiple(() =>
        {
            Assert.That(dataset.Judgements.Select(j => j.ProductId), Is.EqualTo(new[] { "P1" }));
            Assert.That(dataset.Judgements[0].ProductText, Is.EqualTo("Title one Brand bullet"));
            Assert.That(dataset.Report.Counts["filtered out"], Is.EqualTo(2));
            Assert.That(dataset.Report.Counts["example whose product is missing or has no text"], Is.EqualTo(2), "P2 is missing; P3 has no text in the default fields");
            Assert.That(dataset.Report.Counts["product without text"], Is.EqualTo(1));
        });
    }
}
