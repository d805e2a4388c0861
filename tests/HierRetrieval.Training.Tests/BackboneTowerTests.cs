using HierRetrieval.Retrieval;
using HierRetrieval.Training.Optimization;
using HierRetrieval.Training.Towers;
using static TorchSharp.torch;

namespace HierRetrieval.Training.Tests;

public class BackboneTowerTests
{
    private static EmbeddingMatrix Inputs()
    {
        var inputs = new EmbeddingMatrix(5, 4);
        for (int i = 0; i < inputs.Values.Length; i++)
        {
            inputs.Values[i] = MathF.Sin(i + 1);
        }

        return inputs;
    }

    [TestCase(0, false, new[] { "output.weight", "output.bias" })]
    [TestCase(8, false, new[] { "hidden.weight", "hidden.bias", "output.weight", "output.bias" })]
    [TestCase(8, true, new[] { "hidden.weight", "hidden.bias", "output.weight", "output.bias", "items" })]
    public void Head_HasTheParametersOfItsShape_AndGivesUnitVectors(int hidden, bool items, string[] names)
    {
        using var tower = new BackboneTower(Inputs(), 3, new BackboneTowerOptions { HiddenSize = hidden, ItemEmbeddings = items }, seed: 7, CPU);
        var embeddings = tower.EmbedAll();

        Assert.Multiple(() =>
        {
            Assert.That(tower.Parameters.Select(p => p.Name), Is.EqualTo(names));
            Assert.That(tower.State, Has.Count.EqualTo(3 * names.Length), "parameters and both Adam moments");
            Assert.That((embeddings.Rows, embeddings.Dimension, tower.InputDimension), Is.EqualTo((5, 3, 4)));
            for (int i = 0; i < 5; i++)
            {
                Assert.That(System.Numerics.Tensors.TensorPrimitives.Norm(embeddings.Row(i)), Is.EqualTo(1f).Within(1e-5f));
            }
        });
    }

    [Test]
    public void Step_MovesOnlyTheBatchItemsOwnVectors_AndTheSharedHead()
    {
        using var tower = new BackboneTower(Inputs(), 3, new BackboneTowerOptions { HiddenSize = 8, ItemEmbeddings = true }, seed: 7, CPU);
        float[] Snapshot(string name) => tower.Parameters.Single(p => p.Name == name).Tensor.data<float>().ToArray();
        float[] itemsBefore = Snapshot("items"), outputBefore = Snapshot("output.weight");

        using (var step = tower.Begin([1, 3]))
        {
            using var loss = step.Embeddings.sum();
            loss.backward();
            step.Update(new AdamSettings(), learningRate: 0.1, step: 1);
        }

        float[] itemsAfter = Snapshot("items");
        Assert.Multiple(() =>
        {
            Assert.That(Snapshot("output.weight"), Is.Not.EqualTo(outputBefore));
            for (int item = 0; item < 5; item++)
            {
                bool inBatch = item is 1 or 3;
                Assert.That(itemsAfter.AsSpan(item * 3, 3).SequenceEqual(itemsBefore.AsSpan(item * 3, 3)), Is.EqualTo(!inBatch), $"item {item}");
            }

            Assert.That(() => tower.Begin([5]), Throws.InstanceOf<ArgumentOutOfRangeException>());
        });
    }
}
