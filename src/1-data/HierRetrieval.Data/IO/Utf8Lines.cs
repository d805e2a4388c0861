using System.Text;

namespace HierRetrieval.Data.IO;

/// <summary>A line of UTF-8 text: its text, or, when its bytes are not UTF-8, where the first invalid byte is.</summary>
/// <param name="Number">The 1-based line number.</param>
/// <param name="Text">The decoded line (no line ending), or null when it is not valid UTF-8.</param>
/// <param name="InvalidByte">The 1-based position of the first invalid byte within the line (0 for a valid line).</param>
public readonly record struct Utf8Line(long Number, string? Text, int InvalidByte)
{
    /// <summary>Why an invalid line cannot be read, for error messages.</summary>
    public string Problem => $"not valid UTF-8 (byte {InvalidByte} of the line)";
}

/// <summary>
/// Reads UTF-8 text a line at a time and decodes each line on its own, so that an invalid byte is reported on its
/// own line (a reader that decodes whole buffers reports it where the buffer started). Lines end at '\n'; a '\r'
/// before it is dropped; a UTF-8 byte-order mark at the start is skipped. An invalid line is returned as such, and
/// reading goes on with the next one.
/// </summary>
public static class Utf8Lines
{
    private static readonly UTF8Encoding Strict = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>The lines of <paramref name="path"/>, decoded when each is reached.</summary>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    public static IEnumerable<Utf8Line> Read(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1 << 16);
        foreach (var line in Read(stream))
        {
            yield return line;
        }
    }

    /// <summary>The lines of <paramref name="stream"/>, decoded when each is reached.</summary>
    public static IEnumerable<Utf8Line> Read(Stream stream)
    {
        byte[] buffer = new byte[1 << 16];
        var line = new MemoryStream();
        long number = 0;
        int read;
        while ((read = stream.Read(buffer, 0, buffer.Length)) > 0)
        {
            int start = 0;
            for (int i = 0; i < read; i++)
            {
                if (buffer[i] == (byte)'\n')
                {
                    line.Write(buffer, start, i - start);
                    yield return Decode(line, ++number);
                    line.SetLength(0);
                    start = i + 1;
                }
            }

            line.Write(buffer, start, read - start);
        }

        if (line.Length > 0)
        {
            yield return Decode(line, ++number);
        }
    }

    private static Utf8Line Decode(MemoryStream line, long number)
    {
        var bytes = line.GetBuffer().AsSpan(0, (int)line.Length);
        if (number == 1 && bytes.StartsWith("\uFEFF"u8))
        {
            bytes = bytes[3..];
        }

        if (bytes.Length > 0 && bytes[^1] == (byte)'\r')
        {
            bytes = bytes[..^1];
        }

        try
        {
            return new Utf8Line(number, Strict.GetString(bytes), 0);
        }
        catch (DecoderFallbackException e)
        {
            return new Utf8Line(number, null, e.Index + 1);
        }
    }
}
