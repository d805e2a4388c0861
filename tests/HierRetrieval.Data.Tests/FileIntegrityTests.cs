using HierRetrieval.Data.IO;
using HierRetrieval.Tests.Shared;

namespace HierRetrieval.Data.Tests;

public class FileIntegrityTests
{
    private static string WriteChecked(TempFolder folder, byte[] payload)
    {
        string path = Path.Combine(folder.Path, "model.bin");
        ChecksummedFile.Write(path, stream => stream.Write(payload));
        return path;
    }

    private static byte[] ReadPayload(string path)
    {
        using var stream = ChecksummedFile.OpenPayload(path, "model file", "train it again");
        var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }

    [Test]
    public void ChecksummedFile_RoundTrip_GivesThePayloadBack()
    {
        using var folder = new TempFolder();
        byte[] payload = [.. Enumerable.Range(0, 300_000).Select(i => (byte)(i * 7))];
        string path = WriteChecked(folder, payload);
        Assert.Multiple(() =>
        {
            Assert.That(ChecksummedFile.HasFooter(path), Is.True);
            Assert.That(ReadPayload(path), Is.EqualTo(payload));
            Assert.That(new FileInfo(path).Length, Is.EqualTo(payload.Length + 24));
        });
    }

    [Test]
    public void ChecksummedFile_OneFlippedByte_IsNamedDamaged()
    {
        using var folder = new TempFolder();
        string path = WriteChecked(folder, new byte[10_000]);
        byte[] bytes = File.ReadAllBytes(path);
        bytes[5_000] ^= 1;
        File.WriteAllBytes(path, bytes);
        Assert.That(() => ReadPayload(path), Throws.InstanceOf<InvalidDataException>().With.Message.EqualTo(
            $"{path}: the model file is damaged (its checksum does not match its contents); train it again"));
    }

    [TestCase(9_000, "has no integrity footer: it is truncated, damaged or not a model file")]
    [TestCase(10, "is truncated (10 bytes, too short to hold its integrity footer)")]
    public void ChecksummedFile_Truncated_IsNamedSo(int keep, string reason)
    {
        using var folder = new TempFolder();
        string path = WriteChecked(folder, new byte[10_000]);
        File.WriteAllBytes(path, File.ReadAllBytes(path)[..keep]);
        Assert.That(() => ReadPayload(path), Throws.InstanceOf<InvalidDataException>().With.Message.EqualTo($"{path}: the model file {reason}; train it again"));
    }

    [Test]
    public void AtomicFile_LeftoverOfAKilledRun_IsReplacedByTheNextRun_AndNamesItsWriter()
    {
        using var folder = new TempFolder();
        string target = Path.Combine(folder.Path, "scored.tsv");
        string previous = AtomicFile.WriterName;
        try
        {
            AtomicFile.WriterName = "hierret-score";
            string temporary = AtomicFile.TemporaryPathOf(target);
            File.WriteAllText(temporary, new string('x', 100_000)); // what a killed run leaves behind
            AtomicFile.WriteText(target, w => w.Write("query\trank\n"));
            Assert.Multiple(() =>
            {
                Assert.That(Path.GetFileName(temporary), Is.EqualTo(".scored.tsv.hierret-score.tmp"));
                Assert.That(File.ReadAllText(target), Is.EqualTo("query\trank\n"));
                Assert.That(Directory.GetFiles(folder.Path).Select(Path.GetFileName), Is.EqualTo(new[] { "scored.tsv" }));
            });
        }
        finally
        {
            AtomicFile.WriterName = previous;
        }
    }

    [Test]
    public void AtomicFile_FailedWrite_LeavesTheTargetAndNoTemporaryFile()
    {
        using var folder = new TempFolder();
        string target = folder.Write("out.txt", "old");
        Assert.Throws<InvalidOperationException>(() => AtomicFile.WriteText(target, w =>
        {
            w.Write("half");
            throw new InvalidOperationException("stop");
        }));
        Assert.Multiple(() =>
        {
            Assert.That(File.ReadAllText(target), Is.EqualTo("old"));
            Assert.That(Directory.GetFiles(folder.Path), Has.Length.EqualTo(1));
        });
    }

    [Test]
    public void AtomicFile_FolderThatTakesNoFiles_NamesTheTarget()
    {
        var error = Assert.Throws<IOException>(() => AtomicFile.WriteText("/proc/hierret-test", w => w.Write("x")))!;
        Assert.That(error.Message, Does.StartWith("/proc/hierret-test: cannot write the file (").And.Not.Contain(".tmp"));
    }

    [Test]
    public void Utf8Lines_DecodesEachLineOnItsOwn_AndGoesOnAfterABadOne()
    {
        byte[] text = [0xEF, 0xBB, 0xBF, (byte)'a', (byte)'\r', (byte)'\n', (byte)'b', 0xC3, (byte)'\n', 0xC3, 0xA9, (byte)'\n', (byte)'z'];
        var lines = Utf8Lines.Read(new MemoryStream(text)).ToArray();
        Assert.That(lines, Is.EqualTo(new[]
        {
            new Utf8Line(1, "a", 0),
            new Utf8Line(2, null, 2),
            new Utf8Line(3, "é", 0),
            new Utf8Line(4, "z", 0),
        }));
    }

    [TestCase("")]
    [TestCase("WORD1 WORD2 POS TYPE AVG_SCORE\n")]
    [TestCase("dog animal V hyp-1 5.1\n")]
    public void HyperLex_WithoutNounPairs_IsAnErrorNamingTheFile(string content)
    {
        using var folder = new TempFolder();
        string path = folder.Write("hyperlex.txt", content);
        Assert.That(() => Datasets.HyperLexReader.ReadNouns(path), Throws.InstanceOf<InvalidDataException>().With.Message.StartsWith($"{path}: no noun pairs (POS N)"));
    }
}
