using HierRetrieval.Export.Onnx;
using HierRetrieval.Runtime.Text;
using Microsoft.ML;

namespace HierRetrieval.Runtime.Zips;

/// <summary>
/// A text tower as an ML.NET transformer of built-ins: the fitted <see cref="TextFeaturizer"/>, then ApplyOnnxModel
/// with the tower's graph. It embeds raw text, and its zip needs no other files.
/// </summary>
public static class TextTowerChain
{
    /// <summary>Embeds the featurizer's text column into <paramref name="outputColumnName"/> (unit-norm float vector).</summary>
    /// <exception cref="ArgumentException">The tower's feature count differs from the featurizer's.</exception>
    public static ITransformer Create(MLContext mlContext, TextFeaturizer featurizer, TextTowerWeights tower, string outputColumnName)
    {
        if (tower.FeatureCount != featurizer.FeatureCount)
        {
            throw new ArgumentException($"the tower reads {tower.FeatureCount} features but the featurizer makes {featurizer.FeatureCount}", nameof(tower));
        }

        byte[] onnx = TextTowerOnnx.Build(tower, new OnnxExportOptions { EmbeddingName = OnnxModelMetadata.EmbeddingName });
        var head = OnnxChains.Apply(mlContext, onnx, TextTowerOnnx.FeaturesName, OnnxModelMetadata.EmbeddingName)
            .Append(OnnxChains.Publish(mlContext, [(outputColumnName, OnnxModelMetadata.EmbeddingName)], TextTowerOnnx.FeaturesName, OnnxModelMetadata.EmbeddingName));
        return featurizer.Then(head);
    }
}
