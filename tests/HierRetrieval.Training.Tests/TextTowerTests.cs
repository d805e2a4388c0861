using HierRetrieval.Data.Datasets;
using HierRetrieval.Data.Features;
using HierRetrieval.Data.Hierarchies;
using HierRetrieval.Data.Pairs;
using HierRetrieval.Evaluation;
using HierRetrieval.Training.Recipes;
using HierRetrieval.Training.Towers;
using static TorchSharp.torch;

namespace HierRetrieval.Training.Tests;

public class TextTowerTests
{
    /// <summary>A perfect tree whose node texts are their path prefixes ("r.1.2" reads r, r.1, r.1.2): ancestors' features are subsets of a node's.</summary>
    private static readonly Hierarchy Tree = SyntheticHierarchies.PerfectTree(branching: 4, height: 4);

    internal static FeatureBags PrefixBags(Hierarchy hierarchy)
    {
        var vocabulary = new Dictionary<string, int>();
        var offsets = new List<int> { 0 };
        var features = new List<int>();
        foreach (string id in hierarchy.Ids)
        {
            string[] parts = id.Split('.');
            for (int length = 1; length <= parts.Length; length++)
            {
                string prefix = string.Join('.', parts[..length]);
                features.Add(vocabulary.TryGetValue(prefix, out int f) ? f : vocabulary[prefix] = vocabulary.Count);
            }

            offsets.Add(features.Count);
        }

        return new FeatureBags(vocabulary.Count, [.. offsets], [.. features], [.. features.Select(_ => 1f)]);
    }

    private static (double Overall, float[] Embeddings) Train(int seed)
    {
        var split = PairSplitter.Split(Tree.Closure, new PairSplitOptions { Seed = 1 });
        var options = TrainerTests.Small(TrainingRecipe.Standard, TrainerTests.First with { Steps = 200, LearningRate = 3e-3 }) with { Seed = seed };
        var bags = PrefixBags(Tree);
        using var queries = new TextTower(bags, options.Dimension, new TextTowerOptions { HiddenSize = 32 }, seed, CPU);
        using var documents = new TextTower(bags, options.Dimension, new TextTowerOptions { HiddenSize = 32 }, seed + 1, CPU);
        var result = new DualEncoderTrainer(options).Train(Tree.Closure, split.Train, queries, documents, TrainerTests.Validator(Tree.Closure, split));
        var test = new HierarchyEvaluator().Evaluate(Tree.Closure, result.Embeddings, split.Test);
        return (test.Overall, result.Embeddings.Queries.Values.ToArray());
    }

    [Test]
    public void TextTowers_TrainedByTheSameTrainer_LearnTheHierarchy_Deterministically()
    {
        var (overall, first) = Train(seed: 5);
        var (_, second) = Train(seed: 5);
        Assert.Multiple(() =>
        {
            Assert.That(overall, Is.GreaterThan(0.8), "held-out recall@|S(q)| from shared prefix features");
            Assert.That(second, Is.EqualTo(first), "same seed and threads, same towers");
        });
    }

    [Test]
    public void SharedTower_ServesBothSides_UpdatedOncePerBatch_AndLearns()
    {
        var split = PairSplitter.Split(Tree.Closure, new PairSplitOptions { Seed = 1 });
        var options = TrainerTests.Small(TrainingRecipe.Standard, TrainerTests.First with { Steps = 200, LearningRate = 3e-3 }) with { Seed = 5 };
        using var shared = new TextTower(PrefixBags(Tree), options.Dimension, new TextTowerOptions { HiddenSize = 32 }, 5, CPU);
        var result = new DualEncoderTrainer(options).Train(Tree.Closure, split.Train, shared, shared, TrainerTests.Validator(Tree.Closure, split));
        var test = new HierarchyEvaluator().Evaluate(Tree.Closure, result.Embeddings, split.Test);
        Assert.Multiple(() =>
        {
            Assert.That(result.Embeddings.Documents.Values.ToArray(), Is.EqualTo(result.Embeddings.Queries.Values.ToArray()));
            Assert.That(result.Curve.Points[0].Overall, Is.LessThan(0.1), "the untrained model");
            Assert.That(test.Overall, Is.GreaterThan(0.15), "it learns, though symmetric scores suit a hierarchy poorly (a node's children score like its parent)");
        });
    }

    [Test]
    public void BadBags_AreRejected()
    {
        Assert.Multiple(() =>
        {
            Assert.That(() => new FeatureBags(3, [0, 2], [0, 5], [1, 1]), Throws.ArgumentException.With.Message.Contains("outside [0, 3)"));
            Assert.That(() => new FeatureBags(3, [0, 2, 1], [0, 1], [1, 1]), Throws.ArgumentException);
        });
    }
}
