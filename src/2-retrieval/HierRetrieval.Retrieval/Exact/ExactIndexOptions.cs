namespace HierRetrieval.Retrieval.Exact;

/// <summary>Settings of an <see cref="ExactIndex"/>.</summary>
public sealed record ExactIndexOptions
{
    /// <summary>Worker threads for a search (default: all cores).</summary>
    public int Threads { get; init; } = Environment.ProcessorCount;

    /// <summary>Queries scored together per block; 0 picks a size whose block fits the L2 cache (about 256 KB).</summary>
    public int QueryBlockSize { get; init; }
}
