using HierRetrieval.Runtime.Scoring;
using HierRetrieval.Runtime.Zips;
using HierRetrieval.Tests.Shared;

namespace HierRetrieval.Runtime.Tests;

/// <summary>Broken query files and model zips give a result or an error that names the file; never any other exception.</summary>
public class FuzzTests
{
    [TestCase("queries.tsv")]
    [TestCase("queries.csv")]
    public void QueryFile_RandomMutations_GiveAQueryOrAReasonForEveryLine(string name)
    {
        using var folder = new TempFolder();
        string path = Path.Combine(folder.Path, name);
        byte[] valid = System.Text.Encoding.UTF8.GetBytes("# queries\n\"dog.n.01\",x\nwhale.n.02\t\"quoted, text\"\n\n\"say \"\"hi\"\"\",3\nmammal.n.01\n");
        Fuzz.Mutations_Of(valid, cases: 300, seed: 21, input =>
        {
            File.WriteAllBytes(path, input);
            foreach (var line in QueryFile.Read(path, header: false))
            {
                Assert.That(line.Query is null ? line.Problem : line.Query, Is.Not.Null.And.Not.Empty, $"line {line.Line}");
                Assert.That(line.Line, Is.InRange(1, input.Count(b => b == '\n') + 1));
            }
        });
    }

    [Test]
    public void ModelZip_RandomMutations_LoadOrFailNamingTheZip()
    {
        using var folder = new TempFolder();
        string path = Path.Combine(folder.Path, "model.zip");
        int loaded = 0;
        Fuzz.Mutations_Of(File.ReadAllBytes(Repository.Fixture("saved-models/lookup/model.zip")), cases: 150, seed: 22, input =>
        {
            File.WriteAllBytes(path, input);
            try
            {
                loaded += RetrievalModelZip.Read(path).Documents.Rows > 0 ? 1 : 0;
            }
            catch (InvalidDataException e)
            {
                Assert.That(e.Message, Does.StartWith(path + ":"));
            }
        });
        TestContext.Out.WriteLine($"loaded {loaded} of 150");
    }
}
