using HierRetrieval.Retrieval.Exact;

namespace HierRetrieval.Retrieval.Tests;

public class EmptyIndexTests
{
    [Test]
    public void Search_OnAnEmptyIndex_GivesMissingEntries()
    {
        using var index = new ExactIndex(3);
        var result = index.Search([1, 0, 0, 0, 1, 0], k: 2);
        Assert.Multiple(() =>
        {
            Assert.That((result.QueryCount, result.K), Is.EqualTo((2, 2)));
            Assert.That(result.IdsOf(0).ToArray().Concat(result.IdsOf(1).ToArray()), Is.All.EqualTo(-1));
            Assert.That(result.ScoresOf(0).ToArray().Concat(result.ScoresOf(1).ToArray()), Is.All.EqualTo(float.NegativeInfinity));
        });
    }

    [Test]
    public void ComputeScores_OnAnEmptyIndex_WritesNothing()
    {
        using var index = new ExactIndex(3);
        float[] scores = [7];
        index.ComputeScores([1, 0, 0], scores);
        Assert.That(scores, Is.EqualTo(new float[] { 7 }));
    }
}
