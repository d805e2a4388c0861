using Microsoft.ML.OnnxRuntime;

namespace HierRetrieval.Runtime.Onnx;

/// <summary>ONNX Runtime sessions for the towers of bulk work.</summary>
internal static class OnnxSessions
{
    /// <summary>
    /// A session on one thread with spinning off: a tower call is small beside the index search that follows it, and
    /// idle spinning workers would take cores from that search right after each call.
    /// </summary>
    public static InferenceSession Tower(byte[] onnxModel)
    {
        using var options = new SessionOptions { IntraOpNumThreads = 1, InterOpNumThreads = 1, ExecutionMode = ExecutionMode.ORT_SEQUENTIAL };
        options.AddSessionConfigEntry("session.intra_op.allow_spinning", "0");
        return new InferenceSession(onnxModel, options);
    }
}
