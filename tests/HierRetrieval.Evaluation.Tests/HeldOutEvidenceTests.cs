using HierRetrieval.Data.Hierarchies;
using HierRetrieval.Data.Pairs;

namespace HierRetrieval.Evaluation.Tests;

/// <summary>
/// Tree r -> {p, u}, p -> {q, s}, s -> t, u -> v. Held out: (q, p), a leaf's parent link with nothing else to go by;
/// (s, p), which t's training pairs (t, s) and (t, p) hint at; (t, r), which (t, p) and (p, r) imply.
/// </summary>
public class HeldOutEvidenceTests
{
    private static (Hierarchy Hierarchy, PairSet Training, PairSet HeldOut) Fixture()
    {
        var builder = new HierarchyBuilder();
        builder.AddEdge("p", "r");
        builder.AddEdge("u", "r");
        builder.AddEdge("q", "p");
        builder.AddEdge("s", "p");
        builder.AddEdge("t", "s");
        builder.AddEdge("v", "u");
        var hierarchy = builder.Build();
        int Node(string id) => hierarchy.IndexOf(id);
        var heldOut = new HashSet<(int, int)> { (Node("q"), Node("p")), (Node("s"), Node("p")), (Node("t"), Node("r")) };
        var all = PairSet.All(hierarchy.Closure);
        return (hierarchy, all.Where(pair => !heldOut.Contains((pair.Query, pair.Document))), all.Where(pair => heldOut.Contains((pair.Query, pair.Document))));
    }

    [Test]
    public void Classify_TellsPathsSharedDescendantsAndUnsupportedLinksApart()
    {
        var (hierarchy, training, _) = Fixture();
        var classifier = new HeldOutEvidenceClassifier(hierarchy.Count, training);
        int Node(string id) => hierarchy.IndexOf(id);
        Assert.Multiple(() =>
        {
            Assert.That(classifier.Classify(Node("t"), Node("r")), Is.EqualTo(HeldOutEvidence.Path));
            Assert.That(classifier.Classify(Node("s"), Node("p")), Is.EqualTo(HeldOutEvidence.SharedDescendant));
            Assert.That(classifier.Classify(Node("q"), Node("p")), Is.EqualTo(HeldOutEvidence.None));
            Assert.That(classifier.Classify(Node("v"), Node("p")), Is.EqualTo(HeldOutEvidence.None), "a non-match has no evidence either");
        });
    }

    [Test]
    public void Partition_GroupsEveryHeldOutPairOnce_InEvidenceOrder()
    {
        var (hierarchy, training, heldOut) = Fixture();
        var groups = new HeldOutEvidenceClassifier(hierarchy.Count, training).Partition(heldOut);
        string Names(PairSet pairs) => string.Join(",", pairs.Pairs.ToArray().Select(p => $"{hierarchy.IdOf(p.Query)}-{hierarchy.IdOf(p.Document)}"));
        Assert.Multiple(() =>
        {
            Assert.That(groups.Keys, Is.EqualTo(new[] { HeldOutEvidence.Path, HeldOutEvidence.SharedDescendant, HeldOutEvidence.None }));
            Assert.That(Names(groups[HeldOutEvidence.Path]), Is.EqualTo("t-r"));
            Assert.That(Names(groups[HeldOutEvidence.SharedDescendant]), Is.EqualTo("s-p"));
            Assert.That(Names(groups[HeldOutEvidence.None]), Is.EqualTo("q-p"));
        });
    }

    [Test]
    public void Classify_NodeOutsideTheIndex_IsRejected()
    {
        var (hierarchy, training, _) = Fixture();
        var classifier = new HeldOutEvidenceClassifier(hierarchy.Count, training);
        Assert.That(() => classifier.Classify(hierarchy.Count, 0), Throws.InstanceOf<ArgumentOutOfRangeException>());
    }
}
