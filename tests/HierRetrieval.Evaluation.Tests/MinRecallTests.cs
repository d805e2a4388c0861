namespace HierRetrieval.Evaluation.Tests;

public class MinRecallTests
{
    private static readonly Dictionary<int, double> SelfPairLowest = new() { [0] = 0.1, [1] = 0.5, [2] = 0.5, [3] = 0.7 };

    [Test]
    public void Of_FromD1_LeavesTheSelfPairOut_TiesGoToTheSmallerDistance() =>
        Assert.That(MinRecall.Of(SelfPairLowest, MinRecall.PaperFromDistance), Is.EqualTo((1, 0.5)));

    [Test]
    public void Of_FromD0_CountsTheSelfPair() =>
        Assert.That(MinRecall.Of(SelfPairLowest, 0), Is.EqualTo((0, 0.1)));

    [Test]
    public void Of_NoBucketFromTheDistance_FallsBackToEveryBucket_NoBucketsGivesNull()
    {
        Assert.Multiple(() =>
        {
            Assert.That(MinRecall.Of(new Dictionary<int, double> { [0] = 0.3 }, 1), Is.EqualTo((0, 0.3)));
            Assert.That(MinRecall.Of(new Dictionary<int, double>(), 1), Is.Null);
            Assert.That(() => MinRecall.Of(SelfPairLowest, -1), Throws.InstanceOf<ArgumentOutOfRangeException>());
        });
    }
}
