using HierRetrieval.Export.Onnx;
using HierRetrieval.Runtime.Text.Backbones;
using HierRetrieval.Tests.Shared;

namespace HierRetrieval.Backbones.Tests;

public class ModelFolderTests
{
    private static SentenceEncoderModel MiniLM => PackagedSentenceEncoders.Get(PackagedSentenceEncoders.MiniLM);

    [Test]
    public void SaveFolder_ThenResolveTheFolder_GivesTheSameModelAndEmbeddings()
    {
        using var temp = new TempFolder();
        string folder = Path.Combine(temp.Path, "my-encoder");
        MiniLM.SaveFolder(folder);

        var loaded = PackagedSentenceEncoders.Resolve(folder);
        using var encoder = new SentenceEncoder(loaded);
        var expected = PackagedEncoders.Get(PackagedSentenceEncoders.MiniLM).Encode(["green tea"]);
        Assert.Multiple(() =>
        {
            Assert.That(loaded.Name, Is.EqualTo("my-encoder"));
            Assert.That(loaded.Fingerprint, Is.EqualTo(MiniLM.Fingerprint));
            Assert.That(encoder.Encode(["green tea"]).Row(0).ToArray(), Is.EqualTo(expected.Row(0).ToArray()));
        });
    }

    [Test]
    public void LoadFolder_WithoutSettings_UsesMeanPoolingAnd256Tokens()
    {
        using var temp = new TempFolder();
        File.WriteAllBytes(Path.Combine(temp.Path, "model.onnx"), [1]);
        File.WriteAllBytes(Path.Combine(temp.Path, "vocab.txt"), MiniLM.Vocabulary);

        var model = SentenceEncoderModel.LoadFolder(temp.Path);
        Assert.That((model.Pooling, model.MaxTokens), Is.EqualTo((BackbonePooling.Mean, 256)));
    }

    [Test]
    public void Resolve_NeitherANameNorAFolder_ListsTheNames()
    {
        var error = Assert.Throws<DirectoryNotFoundException>(() => PackagedSentenceEncoders.Resolve("mini-lm"));
        Assert.That(error!.Message, Is.EqualTo("mini-lm: neither a packaged sentence encoder (minilm, arctic-xs) nor a model folder holding model.onnx and vocab.txt"));
    }

    [Test]
    public void LoadFolder_MissingVocabulary_NamesTheFile()
    {
        using var temp = new TempFolder();
        File.WriteAllBytes(Path.Combine(temp.Path, "model.onnx"), [1, 2, 3]);
        var error = Assert.Throws<FileNotFoundException>(() => SentenceEncoderModel.LoadFolder(temp.Path));
        Assert.That(error!.Message, Does.StartWith(Path.Combine(temp.Path, "vocab.txt") + ": missing"));
    }

    [Test]
    public void LoadFolder_EmptyGraph_NamesTheFile()
    {
        using var temp = new TempFolder();
        File.WriteAllBytes(Path.Combine(temp.Path, "model.onnx"), []);
        File.WriteAllBytes(Path.Combine(temp.Path, "vocab.txt"), MiniLM.Vocabulary);
        var error = Assert.Throws<InvalidDataException>(() => SentenceEncoderModel.LoadFolder(temp.Path));
        Assert.That(error!.Message, Is.EqualTo(Path.Combine(temp.Path, "model.onnx") + ": the file is empty"));
    }

    [TestCase("{\"pooling\": \"max\"}")]
    [TestCase("{\"maxTokens\": 2}")]
    [TestCase("{\"pooling\": \"mean\", \"layers\": 3}")]
    [TestCase("not json")]
    public void LoadFolder_BadSettings_NamesTheFileAndTheExpectedShape(string settings)
    {
        using var temp = new TempFolder();
        File.WriteAllBytes(Path.Combine(temp.Path, "model.onnx"), [1]);
        File.WriteAllBytes(Path.Combine(temp.Path, "vocab.txt"), MiniLM.Vocabulary);
        string path = temp.Write("backbone.json", settings);

        var error = Assert.Throws<InvalidDataException>(() => SentenceEncoderModel.LoadFolder(temp.Path));
        Assert.That(error!.Message, Does.StartWith(path + ": not valid sentence-encoder settings").And.EndWith("expected {\"pooling\": \"mean\"|\"cls\", \"maxTokens\": 256}"));
    }

    [Test]
    public void SentenceEncoder_CorruptGraph_NamesTheModelFile()
    {
        byte[] corrupt = MiniLM.OnnxModel[..4096];
        var model = new SentenceEncoderModel("broken", corrupt, MiniLM.Vocabulary, BackbonePooling.Mean, 256);

        var error = Assert.Throws<InvalidDataException>(() => new SentenceEncoder(model).Dispose());
        Assert.That(error!.Message, Does.StartWith("broken/model.onnx: not an ONNX model"));
    }
}
