using HierRetrieval.Export.Onnx;
using HierRetrieval.Runtime.Scoring;
using HierRetrieval.Runtime.Zips;
using HierRetrieval.Tests.Shared;

namespace HierRetrieval.Runtime.Tests;

/// <summary>One pass over a zip tells its kind and parses its model; asking for another kind names what is missing.</summary>
public class ModelZipContentsTests
{
    private static readonly string LookupZip = Repository.Fixture("saved-models/lookup/model.zip");
    private static readonly string TextZip = Repository.Fixture("saved-models/text/model.zip");

    [Test]
    public void Kind_TellsLookupFromText_AndTheModelOfThatKindParses()
    {
        var lookup = RetrievalModelZip.ReadContents(LookupZip);
        var text = RetrievalModelZip.ReadContents(TextZip);
        Assert.Multiple(() =>
        {
            Assert.That(lookup.Kind, Is.EqualTo(OnnxModelMetadata.RetrievalKind));
            Assert.That(text.Kind, Is.EqualTo(OnnxModelMetadata.TextRetrievalKind));
            Assert.That(lookup.Retrieval().Documents.Rows, Is.EqualTo(RetrievalModelZip.Read(LookupZip).Documents.Rows));
            Assert.That(text.Text().DocumentNames, Is.Not.Empty);
        });
    }

    [Test]
    public void AnotherKind_IsRefusedWithTheZipAndTheKindNamed()
    {
        var lookup = RetrievalModelZip.ReadContents(LookupZip);
        var text = RetrievalModelZip.ReadContents(TextZip);
        Assert.Multiple(() =>
        {
            Assert.That(() => text.Retrieval(), Throws.InstanceOf<InvalidDataException>().With.Message.Contains(TextZip).And.Message.Contains($"no HierRetrieval '{OnnxModelMetadata.RetrievalKind}' model"));
            Assert.That(() => lookup.Backbone(), Throws.InstanceOf<InvalidDataException>().With.Message.Contains($"'{OnnxModelMetadata.BackboneRetrievalKind}'"));
            Assert.That(() => TextModelScorers.Open(lookup), Throws.InstanceOf<InvalidDataException>().With.Message.Contains("not a text model"));
        });
    }
}
