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
        float[] expected = HostForward(shared.ExportWeights(), PrefixBags(Tree));
        Assert.Multiple(() =>
        {
            Assert.That(result.Embeddings.Queries.Values.ToArray(), Is.EqualTo(expected).Within(1e-5), "queries: the shared tower's function of the prefix features");
            Assert.That(result.Embeddings.Documents.Values.ToArray(), Is.EqualTo(expected).Within(1e-5), "documents: the same tower, so the same function");
            Assert.That(result.Curve.Points[0].Overall, Is.LessThan(0.1), "the untrained model");
            Assert.That(test.Overall, Is.GreaterThan(0.15), "it learns, though symmetric scores suit a hierarchy poorly (a node's children score like its parent)");
        });
    }

    /// <summary>
    /// A shared tower takes two steps per batch (one per side) but must apply Adam once, to the gradient summed over
    /// both sides: at step 1 that moves every parameter by -lr * g / (|g| + eps) and leaves m = (1 - beta1) * g. A second
    /// update would move it again (by about 0.9 lr) and shrink m to beta1 * (1 - beta1) * g.
    /// </summary>
    [Test]
    public void SharedTower_OneBatch_AppliesOneAdamStepOfTheSummedGradient()
    {
        var adam = new Optimization.AdamSettings();
        const double learningRate = 0.01;
        using var shared = new TextTower(PrefixBags(Tree), dimension: 8, new TextTowerOptions { HiddenSize = 16, InitialScale = 0.5 }, seed: 5, CPU);
        static float[] Host(Tensor tensor) => tensor.detach().cpu().contiguous().data<float>().ToArray();
        float[][] before, gradients;
        using (var queryStep = shared.Begin([21, 40, 84, 7]))
        using (var documentStep = shared.Begin([5, 10, 0, 1]))
        {
            using var products = queryStep.Embeddings * documentStep.Embeddings;
            using var loss = products.sum();
            loss.backward();
            before = [.. shared.Parameters.Select(p => Host(p.Tensor))];
            gradients = [.. shared.Parameters.Select(p => Host(p.Tensor.grad!))];
            queryStep.Update(adam, learningRate, step: 1);
            documentStep.Update(adam, learningRate, step: 1);
        }

        var state = shared.State.ToDictionary(t => t.Name, t => t.Tensor);
        Assert.Multiple(() =>
        {
            Assert.That(gradients.All(g => g.Any(v => v != 0)), Is.True, "the loss reaches every parameter");
            for (int i = 0; i < before.Length; i++)
            {
                string name = shared.Parameters[i].Name;
                float[] g = gradients[i];
                double[] expected = [.. before[i].Select((value, j) => value - (learningRate * g[j] / (Math.Abs(g[j]) + adam.Epsilon)))];
                Assert.That(Host(shared.Parameters[i].Tensor), Is.EqualTo(expected).Within(1e-6), $"{name}: one Adam step");
                Assert.That(Host(state[name + ".adam.m"]), Is.EqualTo(g.Select(v => (1 - adam.Beta1) * v)).Within(1e-4).Percent, $"{name}: first moment of one step");
                Assert.That(Host(state[name + ".adam.v"]), Is.EqualTo(g.Select(v => (1 - adam.Beta2) * v * v)).Within(1e-4).Percent, $"{name}: second moment of one step");
            }
        });
    }

    /// <summary>The tower's function on the host: normalize(W2 · relu(W1 · mean of the bag's feature rows + b1) + b2).</summary>
    private static float[] HostForward(Export.Onnx.TextTowerWeights w, FeatureBags bags)
    {
        float[] result = new float[bags.ItemCount * w.Dimension];
        for (int item = 0; item < bags.ItemCount; item++)
        {
            double[] mean = new double[w.HiddenSize];
            double total = 0;
            for (int j = bags.Offsets[item]; j < bags.Offsets[item + 1]; j++)
            {
                total += bags.Weights[j];
                for (int h = 0; h < w.HiddenSize; h++)
                {
                    mean[h] += bags.Weights[j] * w.Features[(bags.Features[j] * w.HiddenSize) + h];
                }
            }

            double[] hidden = new double[w.HiddenSize];
            for (int o = 0; o < w.HiddenSize; o++)
            {
                double sum = w.HiddenBias[o];
                for (int h = 0; h < w.HiddenSize; h++)
                {
                    sum += mean[h] / Math.Max(total, 1) * w.HiddenWeight[(h * w.HiddenSize) + o];
                }

                hidden[o] = Math.Max(sum, 0);
            }

            double[] output = new double[w.Dimension];
            for (int d = 0; d < w.Dimension; d++)
            {
                output[d] = w.OutputBias[d];
                for (int h = 0; h < w.HiddenSize; h++)
                {
                    output[d] += hidden[h] * w.OutputWeight[(h * w.Dimension) + d];
                }
            }

            double norm = Math.Sqrt(output.Sum(v => v * v));
            for (int d = 0; d < w.Dimension; d++)
            {
                result[(item * w.Dimension) + d] = (float)(output[d] / norm);
            }
        }

        return result;
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
