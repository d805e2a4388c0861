namespace HierRetrieval.Export.Onnx;

/// <summary>How a sentence encoder turns its token states into one vector (before L2 normalisation).</summary>
public enum BackbonePooling
{
    /// <summary>The mean over the real (unpadded) tokens, as all-MiniLM-L6-v2 is trained.</summary>
    Mean,

    /// <summary>The state of the leading [CLS] token, as Snowflake arctic-embed is trained.</summary>
    Cls,
}
