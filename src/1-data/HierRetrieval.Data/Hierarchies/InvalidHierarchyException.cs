namespace HierRetrieval.Data.Hierarchies;

/// <summary>
/// Thrown when a hierarchy cannot be built from its input: a malformed line, a self-loop, a cycle or
/// an empty input. The message names the source, the line (where one applies) and the reason.
/// </summary>
public sealed class InvalidHierarchyException : Exception
{
    /// <summary>Creates the exception; <paramref name="sourceName"/> and <paramref name="lineNumber"/> prefix the message.</summary>
    public InvalidHierarchyException(string reason, string? sourceName = null, int? lineNumber = null, IReadOnlyList<string>? cycle = null)
        : base(Format(reason, sourceName, lineNumber))
    {
        Reason = reason;
        SourceName = sourceName;
        LineNumber = lineNumber;
        Cycle = cycle ?? [];
    }

    /// <summary>The reason alone, without source and line.</summary>
    public string Reason { get; }

    /// <summary>The file (or other named source) the input came from, if known.</summary>
    public string? SourceName { get; }

    /// <summary>The 1-based line number of the offending line, if the error belongs to one line.</summary>
    public int? LineNumber { get; }

    /// <summary>For a cycle, the node ids on it in order (the first node repeated at the end); otherwise empty.</summary>
    public IReadOnlyList<string> Cycle { get; }

    private static string Format(string reason, string? sourceName, int? lineNumber) => (sourceName, lineNumber) switch
    {
        (not null, not null) => $"{sourceName}:{lineNumber}: {reason}",
        (not null, null) => $"{sourceName}: {reason}",
        (null, not null) => $"line {lineNumber}: {reason}",
        _ => reason,
    };
}
