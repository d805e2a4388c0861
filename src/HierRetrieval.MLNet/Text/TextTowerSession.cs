using HierRetrieval.Export.Onnx;
using HierRetrieval.MLNet.Onnx;
using HierRetrieval.Retrieval;
using HierRetrieval.Training.Towers;
using Microsoft.ML.OnnxRuntime;

namespace HierRetrieval.MLNet.Text;

/// <summary>A text tower run by ONNX Runtime in batches: feature bags in, unit-norm embeddings out.</summary>
internal sealed class TextTowerSession : IDisposable
{
    private const int Batch = 512;
    private readonly InferenceSession _session;
    private readonly RunOptions _run = new();
    private readonly int _features;
    private readonly int _dimension;

    public TextTowerSession(TextTowerWeights tower)
    {
        _features = tower.FeatureCount;
        _dimension = tower.Dimension;
        _session = OnnxSessions.Tower(TextTowerOnnx.Build(tower, new OnnxExportOptions { EmbeddingName = OnnxModelMetadata.EmbeddingName }));
    }

    /// <summary>Row i = the embedding of bag i.</summary>
    public EmbeddingMatrix Embed(FeatureBags bags)
    {
        var result = new EmbeddingMatrix(bags.ItemCount, _dimension);
        float[] counts = new float[Batch * _features];
        for (int start = 0; start < bags.ItemCount; start += Batch)
        {
            int rows = Math.Min(Batch, bags.ItemCount - start);
            Array.Clear(counts);
            for (int r = 0; r < rows; r++)
            {
                for (int j = bags.Offsets[start + r]; j < bags.Offsets[start + r + 1]; j++)
                {
                    counts[(r * _features) + bags.Features[j]] = bags.Weights[j];
                }
            }

            using var input = OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, counts.AsMemory(0, rows * _features), [rows, _features]);
            using var outputs = _session.Run(_run, [TextTowerOnnx.FeaturesName], [input], [OnnxModelMetadata.EmbeddingName]);
            outputs[0].GetTensorDataAsSpan<float>().CopyTo(result.Values.Slice(start * _dimension, rows * _dimension));
        }

        return result;
    }

    public void Dispose()
    {
        _session.Dispose();
        _run.Dispose();
    }
}
