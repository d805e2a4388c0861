using HierRetrieval.Studies.Recipes;

namespace HierRetrieval.Studies.Tests;

public class StructureStudyTests
{
    [Test]
    public void PerfectTree_UnderThePaperComparableProtocol_StandardLosesTheFarPairs_TheRecipeLiftsMin()
    {
        var rows = StructureStudy.Run(new StructureStudyOptions { Hierarchies = ["tree:W=5,H=4"], Dimension = 3, Steps = 2000, BatchSize = 64, Negatives = 64, Threads = 1 });
        var row = rows.Single();
        Assert.Multiple(() =>
        {
            Assert.That((row.Statistics.Nodes, row.Statistics.MaxDistance, row.FarThreshold), Is.EqualTo((156, 3, 2)));
            Assert.That(row.Standard.RecallByDistance[3], Is.LessThan(0.05), "pretraining without masking loses distance 3");
            Assert.That(row.PretrainFinetune.Min, Is.GreaterThan(row.Standard.Min + 0.1));
            Assert.That(row.PretrainSeconds, Is.GreaterThan(row.FinetuneSeconds), "2,000 pretraining steps take longer than at most 700 finetuning steps of the same size");
        });
    }
}
