using HierRetrieval.Runtime.Text.Backbones;
using HierRetrieval.Tests.Shared;

namespace HierRetrieval.Backbones.Tests;

public class SentenceEmbeddingCacheTests
{
    private static SentenceEncoder Encoder => PackagedEncoders.Get(PackagedSentenceEncoders.MiniLM);

    [Test]
    public void Encode_EncodesEachNewDistinctTextOnce_AndReadsTheRestBack()
    {
        using var temp = new TempFolder();
        var cache = new SentenceEmbeddingCache(temp.Path);

        var (first, encodedFirst) = cache.Encode(Encoder, ["green tea", "frying pan", "green tea"]);
        var (second, encodedSecond) = new SentenceEmbeddingCache(temp.Path).Encode(Encoder, ["frying pan", "running shoes", "green tea"]);
        var direct = Encoder.Encode(["running shoes"]);

        Assert.Multiple(() =>
        {
            Assert.That(encodedFirst, Is.EqualTo(2));
            Assert.That(encodedSecond, Is.EqualTo(1));
            Assert.That(first.Row(2).ToArray(), Is.EqualTo(first.Row(0).ToArray()));
            Assert.That(second.Row(0).ToArray(), Is.EqualTo(first.Row(1).ToArray()));
            Assert.That(second.Row(2).ToArray(), Is.EqualTo(first.Row(0).ToArray()));
            Assert.That(second.Row(1).ToArray(), Is.EqualTo(direct.Row(0).ToArray()));
            Assert.That(Directory.GetFiles(temp.Path), Is.EqualTo(new[] { cache.PathOf(Encoder.Model) }));
        });
    }

    [Test]
    public void Encode_StoppedPartWay_KeepsTheChunksItSaved()
    {
        using var temp = new TempFolder();
        string[] texts = ["green tea", "frying pan", "running shoes", "desk lamp", "wool socks"];
        using var stop = new CancellationTokenSource();
        var stopAfterTheFirstChunk = new StopAt(2, stop);

        Assert.That(() => new SentenceEmbeddingCache(temp.Path, saveEvery: 2).Encode(Encoder, texts, stopAfterTheFirstChunk, stop.Token), Throws.InstanceOf<OperationCanceledException>());
        var (resumed, encoded) = new SentenceEmbeddingCache(temp.Path, saveEvery: 2).Encode(Encoder, texts);

        Assert.Multiple(() =>
        {
            Assert.That(stopAfterTheFirstChunk.Reports, Is.EqualTo(new (long, long)[] { (2, 5) }), "stopped before the second chunk's first batch");
            Assert.That(encoded, Is.EqualTo(3), "the first two texts were saved before the stop");
            Assert.That(resumed.Row(4).ToArray(), Is.EqualTo(Encoder.Encode(["wool socks"]).Row(0).ToArray()));
        });
    }

    /// <summary>Cancels once <paramref name="done"/> texts are reported, as Ctrl+C would.</summary>
    private sealed class StopAt(long done, CancellationTokenSource stop) : IProgress<(long Done, long Total)>
    {
        public List<(long, long)> Reports { get; } = [];

        public void Report((long Done, long Total) value)
        {
            Reports.Add(value);
            if (value.Done >= done)
            {
                stop.Cancel();
            }
        }
    }

    [Test]
    public void Encode_DamagedCacheFile_NamesItAndSaysHowToRecover()
    {
        using var temp = new TempFolder();
        var cache = new SentenceEmbeddingCache(temp.Path);
        cache.Encode(Encoder, ["green tea", "frying pan"]);
        string path = cache.PathOf(Encoder.Model);
        byte[] bytes = File.ReadAllBytes(path);
        bytes[40] ^= 0x5A;
        File.WriteAllBytes(path, bytes);

        var error = Assert.Throws<InvalidDataException>(() => cache.Encode(Encoder, ["green tea"]));
        Assert.That(error!.Message, Does.StartWith(path).And.Contain("delete it and it is rebuilt on the next run"));
    }
}
