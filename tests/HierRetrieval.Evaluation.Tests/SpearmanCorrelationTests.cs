using HierRetrieval.Evaluation.Lexical;

namespace HierRetrieval.Evaluation.Tests;

public class SpearmanCorrelationTests
{
    [Test]
    public void Compute_MonotoneAndReversed_GivesPlusAndMinusOne()
    {
        Assert.Multiple(() =>
        {
            Assert.That(SpearmanCorrelation.Compute([1, 2, 3, 4], [10, 20, 30, 400]), Is.EqualTo(1).Within(1e-12));
            Assert.That(SpearmanCorrelation.Compute([1, 2, 3, 4], [4, 3, 2, 1]), Is.EqualTo(-1).Within(1e-12));
        });
    }

    [Test]
    public void Compute_Ties_UseAverageRanks()
    {
        // ranks x = 1, 2.5, 2.5, 4 and y = 1, 3, 2, 4: covariance 4.5, variances 4.5 and 5, rho = 4.5 / sqrt(22.5).
        Assert.That(SpearmanCorrelation.Compute([1, 2, 2, 3], [1, 3, 2, 4]), Is.EqualTo(4.5 / Math.Sqrt(22.5)).Within(1e-12));
    }

    [Test]
    public void Compute_TooFewSamples_Throws() =>
        Assert.Throws<ArgumentException>(() => SpearmanCorrelation.Compute([1], [1]));
}
