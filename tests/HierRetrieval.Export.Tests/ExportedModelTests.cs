using HierRetrieval.Export.Models;
using HierRetrieval.Export.Onnx;
using HierRetrieval.Retrieval;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace HierRetrieval.Export.Tests;

public class ExportedModelTests
{
    private static readonly string[] Names = ["animal", "dog", "cat"];
    private static readonly EmbeddingMatrix Table = new(3, 2, [3, 4, 0, 2, 1, 0]);

    [Test]
    public void Tower_IdsStartAtOne_ZeroAndPastTheEndAreUnknown()
    {
        var tower = ExportedTower.FromTable(TowerRole.Query, Names, Table);
        long[] items = [1, 0, 3, 4];
        using var session = new InferenceSession(tower.OnnxModel);
        using var results = session.Run([NamedOnnxValue.CreateFromTensor(OnnxModelMetadata.ItemName, new DenseTensor<long>(items, [items.Length, 1]))]);
        float[] embeddings = [.. results.Single(r => r.Name == OnnxModelMetadata.EmbeddingName).AsEnumerable<float>()];
        Assert.That(embeddings, Is.EqualTo(new float[] { 0.6f, 0.8f, 0, 0, 1, 0, 0, 0 }).Within(1e-6));
    }

    [Test]
    public void Tower_SavedAndLoaded_KeepsRoleVocabularyAndBytes()
    {
        string path = Path.Combine(TestContext.CurrentContext.WorkDirectory, "document-tower.onnx");
        var exported = ExportedTower.FromTable(TowerRole.Document, Names, Table);
        exported.Save(path);
        var loaded = ExportedTower.Load(path);
        long[] items = [1, 2, 3];
        using var session = new InferenceSession(loaded.OnnxModel);
        using var results = session.Run([NamedOnnxValue.CreateFromTensor(OnnxModelMetadata.ItemName, new DenseTensor<long>(items, [items.Length, 1]))]);
        float[] embeddings = [.. results.Single(r => r.Name == OnnxModelMetadata.EmbeddingName).AsEnumerable<float>()];
        Assert.Multiple(() =>
        {
            Assert.That(loaded.Role, Is.EqualTo(TowerRole.Document));
            Assert.That(loaded.Vocabulary, Is.EqualTo(Names));
            Assert.That(loaded.Dimension, Is.EqualTo(2));
            Assert.That(loaded.OnnxModel, Is.EqualTo(exported.OnnxModel), "the bytes the exporter built, not re-encoded on the way");
            Assert.That(embeddings, Is.EqualTo(new float[] { 0.6f, 0.8f, 0, 1, 1, 0 }).Within(1e-6), "the loaded graph embeds the table's rows (3,4), (0,2), (1,0) at unit length");
        });
    }

    [Test]
    public void RetrievalModel_Read_RecoversNamesDocumentsAndK()
    {
        var model = ExportedRetrievalModel.FromEmbeddings(Names, Table, Names, Table, k: 2);
        var read = ExportedRetrievalModel.Read(model.OnnxModel, "test");
        Assert.Multiple(() =>
        {
            Assert.That(read.QueryVocabulary, Is.EqualTo(Names));
            Assert.That(read.DocumentNames, Is.EqualTo(Names));
            Assert.That(read.K, Is.EqualTo(2));
            Assert.That(read.Queries.Values.ToArray(), Is.EqualTo(Table.Values.ToArray()), "the query table as trained");
            Assert.That(read.QueryTower().Vocabulary, Is.EqualTo(Names));
            Assert.That(read.Documents.Values.ToArray(), Is.EqualTo(new float[] { 0.6f, 0.8f, 0, 1, 1, 0 }).Within(1e-6));
        });
    }

    [Test]
    public void KindOf_ReadsTheRecordedKind_OrNull()
    {
        Assert.Multiple(() =>
        {
            Assert.That(OnnxModelMetadata.KindOf(ExportedTower.FromTable(TowerRole.Query, Names, Table).OnnxModel), Is.EqualTo(OnnxModelMetadata.TowerKind));
            Assert.That(OnnxModelMetadata.KindOf(ExportedRetrievalModel.FromEmbeddings(Names, Table, Names, Table, k: 2).OnnxModel), Is.EqualTo(OnnxModelMetadata.RetrievalKind));
            Assert.That(OnnxModelMetadata.KindOf(LookupTowerOnnx.Build(Table)), Is.Null, "no metadata");
            Assert.That(OnnxModelMetadata.KindOf([0xff, 0xff, 0xff]), Is.Null, "not protobuf");
        });
    }

    [Test]
    public void BadInput_GetsClearErrors()
    {
        string notOnnx = Path.Combine(TestContext.CurrentContext.WorkDirectory, "not-a-model.onnx");
        File.WriteAllText(notOnnx, "hello, this is text");
        string plain = Path.Combine(TestContext.CurrentContext.WorkDirectory, "plain.onnx");
        File.WriteAllBytes(plain, LookupTowerOnnx.Build(Table));
        Assert.Multiple(() =>
        {
            Assert.That(() => ExportedTower.FromTable(TowerRole.Query, ["a", "a", "b"], Table), Throws.ArgumentException.With.Message.Contains("'a' appears twice"));
            Assert.That(() => ExportedTower.FromTable(TowerRole.Query, ["a", "b"], Table), Throws.ArgumentException.With.Message.Contains("2 names but the table has 3 rows"));
            Assert.That(() => ExportedTower.Load(notOnnx), Throws.InstanceOf<InvalidDataException>().With.Message.Contains("not-a-model.onnx"));
            Assert.That(() => ExportedTower.Load(plain), Throws.InstanceOf<InvalidDataException>().With.Message.Contains("not exported by HierRetrieval.MLNet"));
            Assert.That(() => ExportedRetrievalModel.Read(ExportedTower.FromTable(TowerRole.Query, Names, Table).OnnxModel, "tower"), Throws.InstanceOf<InvalidDataException>().With.Message.Contains("expected a 'lookup-retrieval' model"));
        });
    }
}
