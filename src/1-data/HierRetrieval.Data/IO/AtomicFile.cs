namespace HierRetrieval.Data.IO;

/// <summary>
/// Writes a file atomically: the content goes to a temporary file beside the target, which is flushed to disk and
/// then renamed over the target. Readers see the old file or the new one, never a half-written one. The temporary
/// file is hidden and named for the target and the writer (<c>.scored.tsv.hierret-score.tmp</c>): a run killed
/// while writing leaves that one file, and the next run of the same writer replaces it.
/// </summary>
public static class AtomicFile
{
    private static string _writerName = "hierretrieval";

    /// <summary>What writes (an application sets its command, e.g. <c>hierret-score</c>): part of every temporary file's name.</summary>
    /// <exception cref="ArgumentException">The name is empty or holds a character other than letters, digits, '-', '_' and '.'.</exception>
    public static string WriterName
    {
        get => _writerName;
        set => _writerName = value is { Length: > 0 } && value.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.')
            ? value
            : throw new ArgumentException($"a writer name holds letters, digits, '-', '_' and '.' only (got '{value}')", nameof(value));
    }

    /// <summary>The temporary file that writing <paramref name="path"/> uses.</summary>
    public static string TemporaryPathOf(string path)
    {
        string fullPath = Path.GetFullPath(path);
        return Path.Combine(Path.GetDirectoryName(fullPath)!, $".{Path.GetFileName(fullPath)}.{WriterName}.tmp");
    }

    /// <summary>Writes <paramref name="path"/> through <paramref name="write"/>; on any exception the target is left untouched.</summary>
    /// <exception cref="IOException">The file or its folder cannot be written; the message names <paramref name="path"/>.</exception>
    public static void Write(string path, Action<Stream> write)
    {
        string fullPath = Path.GetFullPath(path);
        string temporary = TemporaryPathOf(fullPath);
        var stream = Storage(path, temporary, () =>
        {
            Directory.CreateDirectory(Path.GetDirectoryName(fullPath)!);
            return new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None);
        });
        try
        {
            using (stream)
            {
                write(stream);
                Storage(path, temporary, () =>
                {
                    stream.Flush(flushToDisk: true);
                    return true;
                });
            }

            Storage(path, temporary, () =>
            {
                File.Move(temporary, fullPath, overwrite: true);
                return true;
            });
        }
        finally
        {
            try
            {
                File.Delete(temporary);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // The write's own error (or success) is what the caller needs; a leftover is replaced by the next run.
            }
        }
    }

    /// <summary>Writes UTF-8 text (no byte-order mark) atomically.</summary>
    /// <exception cref="IOException">The file or its folder cannot be written; the message names <paramref name="path"/>.</exception>
    public static void WriteText(string path, Action<TextWriter> write) => Write(path, stream =>
    {
        using var writer = new StreamWriter(stream, new System.Text.UTF8Encoding(false), leaveOpen: true) { NewLine = "\n" };
        write(writer);
    });

    /// <summary>Runs a file-system step, turning its failure into an error that names the target rather than the temporary file.</summary>
    private static T Storage<T>(string path, string temporary, Func<T> step)
    {
        try
        {
            return step();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            string reason = e switch
            {
                UnauthorizedAccessException => "permission denied",
                FileNotFoundException or DirectoryNotFoundException => "no file can be created there",
                _ => e.Message.Replace(temporary, path, StringComparison.Ordinal),
            };
            throw new IOException($"{path}: cannot write the file ({reason})", e);
        }
    }
}
