using System.Text;
using System.Text.Json;
using HierRetrieval.Runtime.Text.Backbones;
using HierRetrieval.Tests.Shared;

namespace HierRetrieval.Backbones.Tests;

public class WordPieceTokenizerTests
{
    private sealed record ReferenceText(string Text, int[] Ids256, int[] Ids512);

    private static ReferenceText[] References() => JsonSerializer.Deserialize<ReferenceText[]>(
        File.ReadAllText(Repository.Fixture("backbones/wordpiece-reference.json")),
        new JsonSerializerOptions { PropertyNameCaseInsensitive = true })!;

    [TestCase(PackagedSentenceEncoders.MiniLM)]
    [TestCase(PackagedSentenceEncoders.ArcticXs)]
    public void Tokenize_GivesTheHuggingFaceIds_OnHostileAndProductTexts(string name)
    {
        var encoder = PackagedEncoders.Get(name);
        var references = References();
        Assert.That(references, Has.Length.EqualTo(199));
        Assert.Multiple(() =>
        {
            foreach (var reference in references)
            {
                int[] expected = encoder.Model.MaxTokens == 256 ? reference.Ids256 : reference.Ids512;
                Assert.That(encoder.Tokenize(reference.Text), Is.EqualTo(expected), reference.Text.Length > 80 ? reference.Text[..80] : reference.Text);
            }
        });
    }

    [Test]
    public void Tokenize_TextLongerThanTheLimit_IsCutBeforeTheFinalSeparatorAndCounted()
    {
        using var encoder = new SentenceEncoder(PackagedSentenceEncoders.Get(PackagedSentenceEncoders.MiniLM));
        string longText = string.Join(' ', Enumerable.Repeat("stainless steel pan", 200));
        int[] ids = encoder.Tokenize(longText);
        int[] shortIds = encoder.Tokenize("stainless steel pan");

        Assert.Multiple(() =>
        {
            Assert.That(ids, Has.Length.EqualTo(256));
            Assert.That(ids[0], Is.EqualTo(101), "[CLS]");
            Assert.That(ids[^1], Is.EqualTo(102), "[SEP]");
            Assert.That(shortIds, Has.Length.EqualTo(5));
            Assert.That(encoder.TruncatedTexts, Is.EqualTo(1));
        });
    }

    [Test]
    public void Uncased_VocabularyWithoutSpecialTokens_NamesTheSource()
    {
        byte[] vocabulary = Encoding.UTF8.GetBytes("the\nof\nand\n##s\n");
        var error = Assert.Throws<InvalidDataException>(() => WordPieceTokenizers.Uncased(vocabulary, "mine/vocab.txt"));
        Assert.That(error!.Message, Is.EqualTo("mine/vocab.txt: not a WordPiece vocabulary (The special token '[UNK]' is not in the vocabulary.)"));
    }
}
