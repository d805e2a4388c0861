using System.Text;
using System.Text.Json;
using HierRetrieval.Export.Onnx;
using HierRetrieval.Runtime.Text.Backbones;
using HierRetrieval.Runtime.Zips.Tokenization;
using HierRetrieval.Tests.Shared;
using Microsoft.ML;
using Microsoft.ML.Data;

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

    [TestCase(PackagedSentenceEncoders.MiniLM)]
    [TestCase(PackagedSentenceEncoders.ArcticXs)]
    public void ZipTokenizerMapping_GivesTheEncodersIds_PaddedToItsLimit(string name)
    {
        var encoder = PackagedEncoders.Get(name);
        var texts = References().Select(r => r.Text).ToArray();
        var mlContext = new MLContext(seed: 0);
        var view = mlContext.Data.LoadFromEnumerable(texts.Select(t => new TextRow { Text = t }));
        var mapped = WordPieceTokenMappings.For(mlContext, encoder.Model).Fit(view).Transform(view);
        var ids = mapped.GetColumn<long[]>(SentenceEncoderOnnx.InputIdsName).ToArray();
        var masks = mapped.GetColumn<long[]>(SentenceEncoderOnnx.AttentionMaskName).ToArray();
        Assert.Multiple(() =>
        {
            for (int i = 0; i < texts.Length; i++)
            {
                int[] expected = encoder.Tokenize(texts[i]);
                Assert.That(ids[i], Has.Length.EqualTo(encoder.Model.MaxTokens));
                Assert.That(ids[i], Is.EqualTo(expected.Select(id => (long)id).Concat(Enumerable.Repeat(0L, encoder.Model.MaxTokens - expected.Length))), texts[i]);
                Assert.That(masks[i].Sum(), Is.EqualTo(expected.Length));
            }
        });
    }

    [Test]
    public void ZipTokenizerMapping_RefusesAVocabularyOrLimitTheRuntimeDoesNotCarry()
    {
        var minilm = PackagedSentenceEncoders.Get(PackagedSentenceEncoders.MiniLM);
        var otherVocabulary = new SentenceEncoderModel("custom", minilm.OnnxModel, Encoding.UTF8.GetBytes("[PAD]\n[UNK]\n[CLS]\n[SEP]\n[MASK]\nhello\n"), BackbonePooling.Mean, 256);
        var otherLimit = new SentenceEncoderModel("long", minilm.OnnxModel, minilm.Vocabulary, BackbonePooling.Mean, 300);
        Assert.Multiple(() =>
        {
            Assert.That(() => WordPieceTokenMappings.ContractFor(otherVocabulary), Throws.TypeOf<NotSupportedException>().With.Message.Contains("bert-base-uncased"));
            Assert.That(() => WordPieceTokenMappings.ContractFor(otherLimit), Throws.TypeOf<NotSupportedException>().With.Message.Contains("not 300"));
            Assert.That(WordPieceTokenMappings.ContractFor(minilm), Is.EqualTo("HierRetrieval.WordPiece.bert-base-uncased.256"));
        });
    }

    private sealed class TextRow
    {
        [ColumnName(WordPieceTokenMappings.TextColumnName)]
        public string Text { get; set; } = "";
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
