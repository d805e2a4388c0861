using HierRetrieval.Export.Onnx;
using HierRetrieval.Runtime.Onnx;
using HierRetrieval.Retrieval;
using HierRetrieval.Data.Features;
using Microsoft.ML.OnnxRuntime;

namespace HierRetrieval.Runtime.Text;

/// <summary>A text tower run by ONNX Runtime in batches: feature bags in, unit-norm embeddings out.</summary>
internal sealed class TextTowerSession : IDisposable
{
    private const int Batch = 512;
    private readonly InferenceSession _session;
    private readonly RunOptions _run = new();
    private readonly int _features;
    private readonly int _dimension;
    private float[]? _counts;

    public TextTowerSession(TextTowerWeights tower)
    {
        _features = tower.FeatureCount;
        _dimension = tower.Dimension;
        _session = OnnxSessions.Tower(TextTowerOnnx.Build(tower, new OnnxExportOptions { EmbeddingName = OnnxModelMetadata.EmbeddingName }));
    }

    /// <summary>Row i = the embedding of bag i. Not for concurrent use: the dense input buffer is reused.</summary>
    public EmbeddingMatrix Embed(FeatureBags bags)
    {
        var result = new EmbeddingMatrix(bags.ItemCount, _dimension);
        _counts ??= new float[Batch * _features];
        for (int start = 0; start < bags.ItemCount; start += Batch)
        {
            int rows = Math.Min(Batch, bags.ItemCount - start);
            Fill(bags, start, rows, write: true);
            using (var input = OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, _counts.AsMemory(0, rows * _features), [rows, _features]))
            using (var outputs = _session.Run(_run, [TextTowerOnnx.FeaturesName], [input], [OnnxModelMetadata.EmbeddingName]))
            {
                outputs[0].GetTensorDataAsSpan<float>().CopyTo(result.Values.Slice(start * _dimension, rows * _dimension));
            }

            // Zero only what this batch wrote: clearing the whole [Batch, F] buffer costs more than the tower itself.
            Fill(bags, start, rows, write: false);
        }

        return result;
    }

    /// <summary>Writes the counts of bags start..start+rows into the dense buffer, or resets those entries to 0.</summary>
    private void Fill(FeatureBags bags, int start, int rows, bool write)
    {
        for (int r = 0; r < rows; r++)
        {
            for (int j = bags.Offsets[start + r]; j < bags.Offsets[start + r + 1]; j++)
            {
                _counts![(r * _features) + bags.Features[j]] = write ? bags.Weights[j] : 0;
            }
        }
    }

    public void Dispose()
    {
        _session.Dispose();
        _run.Dispose();
    }
}
