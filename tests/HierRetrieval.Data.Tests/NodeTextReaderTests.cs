using HierRetrieval.Data.Datasets;
using HierRetrieval.Data.Hierarchies;
using HierRetrieval.Tests.Shared;

namespace HierRetrieval.Data.Tests;

public class NodeTextReaderTests
{
    private static Hierarchy Catalogue() => EdgeListReader.Read(new StringReader("pans\tcookware\nskillets\tpans\ncookware\n"), "catalogue.tsv");

    [Test]
    public void ReadFile_GivesListedNodesTheirText_AndTheOthersTheirId()
    {
        using var folder = new TempFolder();
        string path = folder.Write("texts.tsv", "# node texts\n\ncookware\tKitchen cookware\nskillets\t  Frying pans and skillets \n");

        var hierarchy = NodeTextReader.ReadFile(path, Catalogue());
        Assert.Multiple(() =>
        {
            Assert.That(hierarchy.HasText, Is.True);
            Assert.That(hierarchy.TextOf(hierarchy.IndexOf("cookware"))!.Lemmas, Is.EqualTo(new[] { "Kitchen cookware" }));
            Assert.That(hierarchy.TextOf(hierarchy.IndexOf("skillets"))!.Lemmas, Is.EqualTo(new[] { "Frying pans and skillets" }));
            Assert.That(hierarchy.TextOf(hierarchy.IndexOf("pans"))!.Lemmas, Is.EqualTo(new[] { "pans" }));
            Assert.That(hierarchy.Closure.PairCount, Is.EqualTo(Catalogue().Closure.PairCount), "the same nodes and edges");
        });
    }

    [Test]
    public void ReadFile_OnWordNet_KeepsTheLemmasAndGlossOfUnlistedNodes()
    {
        using var folder = new TempFolder();
        var mammals = HierarchyCatalog.Load(HierarchyCatalog.WordNetMammalsName);
        string dog = mammals.IdOf(1);
        var hierarchy = NodeTextReader.ReadFile(folder.Write("texts.tsv", $"{dog}\tman's best friend\n"), mammals);
        Assert.Multiple(() =>
        {
            Assert.That(hierarchy.TextOf(1)!.Lemmas, Is.EqualTo(new[] { "man's best friend" }));
            Assert.That(hierarchy.TextOf(2), Is.EqualTo(mammals.TextOf(2)));
        });
    }

    [TestCase("pans Pots and pans\n", 1, "expected 'id<TAB>text'")]
    [TestCase("# c\npots\tPots\n", 2, "no node of the hierarchy has id 'pots'")]
    [TestCase("pans\t  \n", 1, "the text of 'pans' is empty")]
    [TestCase("pans\tPans\n\npans\tPans again\n", 3, "'pans' already has a text (line 1)")]
    [TestCase("\tno id\n", 1, "expected 'id<TAB>text'")]
    public void ReadFile_BadLine_NamesFileLineAndReason(string content, int line, string reason)
    {
        using var folder = new TempFolder();
        string path = folder.Write("texts.tsv", content);
        var error = Assert.Throws<InvalidHierarchyException>(() => NodeTextReader.ReadFile(path, Catalogue()));
        Assert.That(error!.Message, Is.EqualTo($"{path}:{line}: {reason}"));
    }

    [Test]
    public void ReadFile_InvalidUtf8_AndMissingFile_AreNamed()
    {
        using var folder = new TempFolder();
        string path = Path.Combine(folder.Path, "texts.tsv");
        File.WriteAllBytes(path, [(byte)'p', (byte)'a', (byte)'n', (byte)'s', (byte)'\t', (byte)'o', (byte)'k', (byte)'\n', (byte)'x', (byte)'\t', 0xFF, (byte)'\n']);
        var invalid = Assert.Throws<InvalidHierarchyException>(() => NodeTextReader.ReadFile(path, Catalogue()));
        var missing = Assert.Throws<FileNotFoundException>(() => NodeTextReader.ReadFile(Path.Combine(folder.Path, "none.tsv"), Catalogue()));
        Assert.Multiple(() =>
        {
            Assert.That(invalid!.Message, Is.EqualTo($"{path}:2: not valid UTF-8 (byte 3 of the line)"));
            Assert.That(missing!.Message, Does.EndWith("none.tsv: no such node-text file"));
        });
    }
}
