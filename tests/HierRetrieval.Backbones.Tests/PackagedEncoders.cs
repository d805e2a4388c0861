using HierRetrieval.Runtime.Text.Backbones;

namespace HierRetrieval.Backbones.Tests;

/// <summary>One encoder per packaged model for the whole test run (each opens a 90 MB graph).</summary>
internal static class PackagedEncoders
{
    private static readonly Lazy<SentenceEncoder> MiniLMEncoder = new(() => new SentenceEncoder(PackagedSentenceEncoders.Get(PackagedSentenceEncoders.MiniLM)));
    private static readonly Lazy<SentenceEncoder> ArcticXsEncoder = new(() => new SentenceEncoder(PackagedSentenceEncoders.Get(PackagedSentenceEncoders.ArcticXs)));

    public static SentenceEncoder Get(string name) => name == PackagedSentenceEncoders.MiniLM ? MiniLMEncoder.Value : ArcticXsEncoder.Value;
}
