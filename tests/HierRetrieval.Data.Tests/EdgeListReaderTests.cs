using HierRetrieval.Data.Datasets;
using HierRetrieval.Data.Hierarchies;
using HierRetrieval.Tests.Shared;

namespace HierRetrieval.Data.Tests;

public class EdgeListReaderTests
{
    private static Hierarchy Parse(string text) => EdgeListReader.Read(new StringReader(text), "edges.tsv");

    private static InvalidHierarchyException ParseError(string text) => Assert.Throws<InvalidHierarchyException>(() => Parse(text))!;

    [Test]
    public void Read_ValidFile_BuildsNodesEdgesAndSkipsCommentsAndBlanks()
    {
        var h = Parse("# a comment\n\ndog\tmammal\nmammal\tanimal\r\ncat\tmammal\nlonely\n");

        Assert.That(h.Count, Is.EqualTo(5));
        Assert.That(h.EdgeCount, Is.EqualTo(3));
        Assert.That(h.ParentsOf(h.IndexOf("dog")).ToArray(), Is.EqualTo(new[] { h.IndexOf("mammal") }));
        Assert.That(h.ParentsOf(h.IndexOf("lonely")).IsEmpty, Is.True);
        Assert.That(h.GetStatistics().Roots, Is.EqualTo(2));
    }

    [Test]
    public void Read_DuplicateEdges_MergedAndCounted()
    {
        var h = Parse("a\tb\na\tb\nb\tc\na\tb\n");

        Assert.That(h.EdgeCount, Is.EqualTo(2));
        Assert.That(h.DuplicateEdgeCount, Is.EqualTo(2));
        Assert.That(h.GetStatistics().DuplicateEdges, Is.EqualTo(2));
    }

    [Test]
    public void Read_TooManyFields_NamesFileLineAndReason()
    {
        var e = ParseError("a\tb\n# fine\na\tb\tc\n");

        Assert.That(e.SourceName, Is.EqualTo("edges.tsv"));
        Assert.That(e.LineNumber, Is.EqualTo(3));
        Assert.That(e.Message, Does.StartWith("edges.tsv:3: expected 'child<TAB>parent'"));
    }

    [TestCase("a\t\n", "field 2 (parent) is empty")]
    [TestCase("\tb\n", "field 1 (child) is empty")]
    [TestCase("a \tb\n", "field 1 (child) has leading or trailing whitespace")]
    public void Read_EmptyOrPaddedField_Rejected(string text, string reason)
    {
        var e = ParseError(text);

        Assert.That(e.LineNumber, Is.EqualTo(1));
        Assert.That(e.Reason, Is.EqualTo(reason));
    }

    [Test]
    public void Read_SelfLoop_NamesNodeAndLine()
    {
        var e = ParseError("a\tb\nb\tb\n");

        Assert.That(e.Message, Is.EqualTo("edges.tsv:2: self-loop: node 'b' is its own parent"));
    }

    [Test]
    public void Read_Cycle_NamesTheNodesOnIt()
    {
        var e = ParseError("x\ta\na\tb\nb\tc\nc\ta\n");

        Assert.That(e.Cycle, Is.EqualTo(new[] { "a", "b", "c", "a" }), "closed: the first node again at the end; x leads into the cycle but is not on it");
        Assert.That(e.LineNumber, Is.EqualTo(2), "the line of the cycle's first edge, a -> b");
        Assert.That(e.Message, Is.EqualTo("edges.tsv:2: cycle: a -> b -> c -> a"));
    }

    [TestCase("")]
    [TestCase("# only comments\n\n   \n")]
    public void Read_NoNodes_Rejected(string text)
    {
        Assert.That(ParseError(text).Message, Is.EqualTo("edges.tsv: empty hierarchy: no nodes or edges"));
    }

    [Test]
    public void ReadFile_InvalidUtf8_NamesFileLineAndByte()
    {
        // Far beyond the first read buffer, and after a multi-byte character: a reader that decodes whole buffers would name the wrong line.
        using var folder = new TempFolder();
        string path = Path.Combine(folder.Path, "bad.tsv");
        var lines = Enumerable.Range(0, 5000).Select(i => System.Text.Encoding.UTF8.GetBytes($"nöde{i}\troot\n")).SelectMany(b => b).ToList();
        lines.AddRange([(byte)'a', (byte)'b', (byte)'\t', 0xff, 0xfe, (byte)'\n']);
        File.WriteAllBytes(path, [.. lines]);

        var e = Assert.Throws<InvalidHierarchyException>(() => EdgeListReader.ReadFile(path))!;
        Assert.That(e.Message, Is.EqualTo($"{path}:5001: not valid UTF-8 (byte 4 of the line)"));
    }

    [Test]
    public void Read_NulByteInsideAnId_IsRejectedWithItsLine()
    {
        Assert.That(ParseError("a\tb\nc\0d\tb\n").Message, Is.EqualTo("edges.tsv:2: field 1 (child) holds the control character U+0000 at character 2"));
    }

    [Test]
    public void Write_ThenRead_RoundTrips()
    {
        var original = SyntheticHierarchies.RandomDag(200, 3, seed: 4);
        var writer = new StringWriter();

        EdgeListReader.Write(original, writer);
        var reread = Parse(writer.ToString());

        Assert.That(reread.Count, Is.EqualTo(original.Count));
        Assert.That(reread.EdgeCount, Is.EqualTo(original.EdgeCount));
        Assert.That(reread.Closure.PairCount, Is.EqualTo(original.Closure.PairCount));
    }
}
