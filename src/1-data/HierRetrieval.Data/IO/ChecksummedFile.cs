using System.Buffers.Binary;
using System.IO.Hashing;

namespace HierRetrieval.Data.IO;

/// <summary>
/// Files that carry their own integrity check: the payload, then a 24-byte footer holding the payload's length, its
/// XxHash64 and a marker. Written atomically (<see cref="AtomicFile"/>); read only after the footer has been checked,
/// so that a truncated or damaged file is named as such instead of failing somewhere inside its contents.
/// </summary>
public static class ChecksummedFile
{
    private const int FooterLength = 24;
    private static readonly byte[] Marker = "HRSUM001"u8.ToArray();

    /// <summary>Writes the payload through <paramref name="write"/>, then the footer, atomically.</summary>
    /// <exception cref="IOException">The file or its folder cannot be written; the message names <paramref name="path"/>.</exception>
    public static void Write(string path, Action<Stream> write) => AtomicFile.Write(path, stream =>
    {
        var hashing = new HashingStream(stream);
        write(hashing);
        Span<byte> footer = stackalloc byte[FooterLength];
        BinaryPrimitives.WriteInt64LittleEndian(footer, hashing.Length);
        BinaryPrimitives.WriteUInt64LittleEndian(footer[8..], hashing.Hash.GetCurrentHashAsUInt64());
        Marker.CopyTo(footer[16..]);
        stream.Write(footer);
    });

    /// <summary>Whether <paramref name="path"/> ends in this format's footer (a file written before it existed does not).</summary>
    public static bool HasFooter(string path)
    {
        using var file = File.OpenRead(path);
        if (file.Length < FooterLength)
        {
            return false;
        }

        Span<byte> marker = stackalloc byte[Marker.Length];
        file.Seek(-Marker.Length, SeekOrigin.End);
        file.ReadExactly(marker);
        return marker.SequenceEqual(Marker);
    }

    /// <summary>Checks the footer against the payload and opens the payload for reading.</summary>
    /// <param name="path">The file.</param>
    /// <param name="what">What the file is, for messages ("training checkpoint").</param>
    /// <param name="remedy">What the user can do about a damaged file ("delete it to start the run over").</param>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">The file is truncated, damaged or not of this format; the message names it and the remedy.</exception>
    public static Stream OpenPayload(string path, string what, string remedy)
    {
        var file = File.OpenRead(path);
        try
        {
            long payload = file.Length - FooterLength;
            Span<byte> footer = stackalloc byte[FooterLength];
            if (payload < 0)
            {
                throw new InvalidDataException($"{path}: the {what} is truncated ({file.Length:N0} bytes, too short to hold its integrity footer); {remedy}");
            }

            file.Seek(payload, SeekOrigin.Begin);
            file.ReadExactly(footer);
            long length = BinaryPrimitives.ReadInt64LittleEndian(footer);
            if (!footer[16..].SequenceEqual(Marker))
            {
                throw new InvalidDataException($"{path}: the {what} has no integrity footer: it is truncated, damaged or not a {what}; {remedy}");
            }

            if (length != payload)
            {
                throw new InvalidDataException($"{path}: the {what} is damaged: it should hold {length:N0} bytes before its footer but holds {payload:N0}; {remedy}");
            }

            file.Seek(0, SeekOrigin.Begin);
            var hash = new XxHash64();
            byte[] buffer = new byte[1 << 20];
            for (long left = payload; left > 0;)
            {
                int read = file.Read(buffer, 0, (int)Math.Min(buffer.Length, left));
                hash.Append(buffer.AsSpan(0, read));
                left -= read;
            }

            if (hash.GetCurrentHashAsUInt64() != BinaryPrimitives.ReadUInt64LittleEndian(footer[8..]))
            {
                throw new InvalidDataException($"{path}: the {what} is damaged (its checksum does not match its contents); {remedy}");
            }

            file.Seek(0, SeekOrigin.Begin);
            return new PayloadStream(file, payload);
        }
        catch
        {
            file.Dispose();
            throw;
        }
    }

    /// <summary>Passes writes through and hashes them.</summary>
    private sealed class HashingStream(Stream inner) : Stream
    {
        private long _length;

        public XxHash64 Hash { get; } = new();

        public override bool CanRead => false;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => _length;

        public override long Position { get => _length; set => throw new NotSupportedException(); }

        public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

        public override void Write(ReadOnlySpan<byte> buffer)
        {
            inner.Write(buffer);
            Hash.Append(buffer);
            _length += buffer.Length;
        }

        public override void Flush() => inner.Flush();

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();
    }

    /// <summary>The payload of a checked file: reads stop where the footer begins.</summary>
    private sealed class PayloadStream(FileStream file, long length) : Stream
    {
        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => length;

        public override long Position { get => file.Position; set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer) => file.Read(buffer[..(int)Math.Min(buffer.Length, length - file.Position)]);

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                file.Dispose();
            }

            base.Dispose(disposing);
        }
    }
}
