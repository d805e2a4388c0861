using HierRetrieval.Data.Datasets;
using HierRetrieval.Data.Esci;
using HierRetrieval.Data.Hierarchies;
using HierRetrieval.Tests.Shared;

namespace HierRetrieval.Data.Tests;

/// <summary>Broken files give a result or an error that names the file; never any other exception.</summary>
public class FuzzTests
{
    [Test]
    public void EdgeList_RandomMutations_ReadOrFailNamingTheFile()
    {
        using var folder = new TempFolder();
        var writer = new StringWriter();
        EdgeListReader.Write(SyntheticHierarchies.RandomDag(60, 3, seed: 2), writer);
        byte[] valid = System.Text.Encoding.UTF8.GetBytes("# a comment\n" + writer);
        string path = Path.Combine(folder.Path, "edges.tsv");
        int read = 0, refused = 0;
        Fuzz.Mutations_Of(valid, cases: 400, seed: 11, input =>
        {
            File.WriteAllBytes(path, input);
            try
            {
                read += EdgeListReader.ReadFile(path).Count > 0 ? 1 : 0;
            }
            catch (InvalidHierarchyException e)
            {
                Assert.That(e.Message, Does.StartWith(path + ":"));
                refused++;
            }
        });
        TestContext.Out.WriteLine($"read {read}, refused {refused}");
        Assert.That(Math.Min(read, refused), Is.GreaterThan(0), "the mutations both keep files readable and break them");
    }

    [TestCase("examples")]
    [TestCase("products")]
    public async Task ShoppingCsv_RandomMutations_CountEveryRowOrFailNamingTheFile(string table)
    {
        using var folder = new TempFolder();
        var (examples, products) = EsciGenerator.Generate(new EsciGeneratorOptions { Families = 2, TypesPerFamily = 2, ProductsPerType = 3, QueriesPerType = 2, Seed = 1 });
        string valid = Path.Combine(folder.Path, "valid.csv");
        if (table == "examples")
        {
            await EsciWriter.WriteExamplesAsync(valid, examples);
        }
        else
        {
            await EsciWriter.WriteProductsAsync(valid, products);
        }

        string path = Path.Combine(folder.Path, "mutated.csv");
        int refused = 0;
        var cases = new List<byte[]>();
        Fuzz.Mutations_Of(File.ReadAllBytes(valid), cases: 300, seed: 12, cases.Add);
        foreach (byte[] input in cases)
        {
            File.WriteAllBytes(path, input);
            try
            {
                var (kept, report) = table == "examples" ? Counted(await EsciFiles.ReadExamplesAsync(path)) : Counted(await EsciFiles.ReadProductsAsync(path));
                Assert.That(kept + report.Dropped, Is.EqualTo(report.Counts.GetValueOrDefault(EsciReadReport.ReadKey)), "every row read is kept or counted by reason");
                Assert.That(report.FirstProblems, Has.All.StartsWith(path + ":"));
            }
            catch (InvalidDataException e)
            {
                Assert.That(e.Message, Does.StartWith(path + ":"));
                refused++;
            }
        }

        TestContext.Out.WriteLine($"refused {refused} of {cases.Count}");
    }

    private static (int Kept, EsciReadReport Report) Counted<T>(EsciTable<T> table) => (table.Rows.Count, table.Report);
}
