using HierRetrieval.Export.Onnx;
using HierRetrieval.Retrieval;
using HierRetrieval.Runtime.Onnx;
using Microsoft.ML.OnnxRuntime;

namespace HierRetrieval.Runtime.Text.Backbones;

/// <summary>A head over a sentence encoder run by ONNX Runtime in batches: sentence embeddings in, unit-norm embeddings out.</summary>
internal sealed class BackboneHeadSession : IDisposable
{
    private const int Batch = 4096;
    private static readonly string[] InputNames = [BackboneHeadOnnx.InputName];
    private static readonly string[] OutputNames = [OnnxModelMetadata.EmbeddingName];
    private readonly InferenceSession _session;
    private readonly RunOptions _run = new();
    private readonly int _dimension;

    public BackboneHeadSession(BackboneHeadWeights head)
    {
        _dimension = head.Dimension;
        _session = OnnxSessions.Tower(BackboneHeadOnnx.Build(head, new OnnxExportOptions { EmbeddingName = OnnxModelMetadata.EmbeddingName }));
    }

    /// <summary>Row i = the head's embedding of <paramref name="sentences"/> row i.</summary>
    public EmbeddingMatrix Embed(EmbeddingMatrix sentences)
    {
        var result = new EmbeddingMatrix(sentences.Rows, _dimension);
        for (int start = 0; start < sentences.Rows; start += Batch)
        {
            int rows = Math.Min(Batch, sentences.Rows - start);
            using var input = OrtValue.CreateTensorValueFromMemory(sentences.Values.Slice(start * sentences.Dimension, rows * sentences.Dimension).ToArray(), [rows, sentences.Dimension]);
            using var outputs = _session.Run(_run, InputNames, [input], OutputNames);
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
