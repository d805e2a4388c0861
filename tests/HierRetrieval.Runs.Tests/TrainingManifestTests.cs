using HierRetrieval.Data.Datasets;
using HierRetrieval.Data.Pairs;
using HierRetrieval.Runs.Models;
using HierRetrieval.Training;

namespace HierRetrieval.Runs.Tests;

public class TrainingManifestTests
{
    [Test]
    public void SplitPairs_IsTheSplitTheRunTrainedOn_NearPairsThinned()
    {
        var mammals = HierarchyCatalog.Load(HierarchyCatalog.WordNetMammalsName);
        var options = new DualEncoderTrainerOptions { Seed = 3 };
        var splitOptions = new PairSplitOptions { Seed = 1 };
        var full = TrainingManifest.SplitPairs(mammals.Closure, splitOptions);
        var thinned = new TrainingManifest("wordnet-mammals", options, splitOptions) { NearFraction = 0.25 }.SplitPairs(mammals.Closure);
        Assert.Multiple(() =>
        {
            Assert.That(thinned.Test.Pairs.ToArray(), Is.EqualTo(full.Test.Pairs.ToArray()));
            Assert.That(thinned.Train.Pairs.ToArray(), Is.EqualTo(full.Train.ThinNear(options.FarThreshold, 0.25, options.Seed).Pairs.ToArray()));
            Assert.That(thinned.Train.Count, Is.LessThan(full.Train.Count));
        });
    }
}
