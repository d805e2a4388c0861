using HierRetrieval.Backbones;
using HierRetrieval.Runtime.Text.Backbones;
using HierRetrieval.Studies.TopLayer;
using HierRetrieval.Training.Towers;
using static TorchSharp.torch;

namespace HierRetrieval.Studies.Tests;

public class EncoderTopLayerTests
{
    private static readonly string[] Sentences =
    [
        "tabby ; a cat with a grey or tawny coat mottled with black",
        "dog",
        "a member of the genus Canis (probably descended from the common wolf) that has been domesticated by man since prehistoric times",
    ];

    [TestCase(PackagedSentenceEncoders.MiniLM)]
    [TestCase(PackagedSentenceEncoders.ArcticXs)]
    public void TopLayerInTorch_OverTheStatesBelowIt_GivesTheEncodersOwnEmbeddings(string name)
    {
        var model = PackagedSentenceEncoders.Get(name);
        using var encoder = new SentenceEncoder(model);
        var expected = encoder.Encode(Sentences);

        var (weights, states) = EncoderTopLayer.Split(model, Sentences, threads: 1);
        using var tower = new TunedTopLayerTower(states, weights, model.Pooling, dimension: 8, new BackboneTowerOptions(), layerLearningRateScale: 0.01, seed: 0, CPU);
        var actual = tower.EncodeSentences([0, 1, 2]);

        Assert.Multiple(() =>
        {
            Assert.That(weights.Heads, Is.EqualTo(12));
            Assert.That(states.LengthOf(1), Is.EqualTo(3), "[CLS] dog [SEP]");
            for (int i = 0; i < Sentences.Length; i++)
            {
                double cosine = 0;
                for (int j = 0; j < expected.Dimension; j++)
                {
                    cosine += expected.Row(i)[j] * actual.Row(i)[j];
                }

                Assert.That(cosine, Is.GreaterThan(0.9999), $"sentence {i}: the states below the top layer are kept in half precision");
            }
        });
    }

    [Test]
    public void FirstAdamStep_MovesTheLayerAtItsScaledRate_AndTheHeadAtTheStagesRate()
    {
        var model = PackagedSentenceEncoders.Get(PackagedSentenceEncoders.MiniLM);
        var (weights, states) = EncoderTopLayer.Split(model, Sentences, threads: 1);
        using var tower = new TunedTopLayerTower(states, weights, model.Pooling, dimension: 8, new BackboneTowerOptions { HiddenSize = 16 }, layerLearningRateScale: 0.1, seed: 0, CPU);
        var before = tower.Parameters.ToDictionary(p => p.Name, p => p.Tensor.clone());

        using (var step = tower.Begin([0, 1, 2]))
        {
            using var loss = step.Embeddings.select(1, 0).sum();
            loss.backward();
            step.Update(new HierRetrieval.Training.Optimization.AdamSettings(), learningRate: 1e-3, step: 1);
        }

        // Adam's first step moves every parameter with a gradient by about its learning rate.
        double Largest(Func<string, bool> which) => tower.Parameters.Where(p => which(p.Name)).Max(p => p.Tensor.sub(before[p.Name]).abs().max().item<float>());
        Assert.Multiple(() =>
        {
            Assert.That(Largest(name => name.StartsWith("layer.", StringComparison.Ordinal)), Is.EqualTo(1e-4).Within(1e-5));
            Assert.That(Largest(name => !name.StartsWith("layer.", StringComparison.Ordinal)), Is.EqualTo(1e-3).Within(1e-4));
        });
        foreach (var tensor in before.Values)
        {
            tensor.Dispose();
        }
    }
}
