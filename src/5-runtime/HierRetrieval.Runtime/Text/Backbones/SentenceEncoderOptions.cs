namespace HierRetrieval.Runtime.Text.Backbones;

/// <summary>How a <see cref="SentenceEncoder"/> runs its graph.</summary>
public sealed class SentenceEncoderOptions
{
    /// <summary>Texts per ONNX Runtime call. Texts are sorted by token count first, so a batch pads to its longest text only.</summary>
    public int BatchSize { get; init; } = 128;

    /// <summary>ONNX Runtime's intra-op threads (default: all cores).</summary>
    public int Threads { get; init; } = Environment.ProcessorCount;
}
