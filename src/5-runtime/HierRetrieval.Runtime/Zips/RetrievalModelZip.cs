using System.IO.Compression;
using System.IO.Hashing;
using HierRetrieval.Data.IO;
using HierRetrieval.Export.Models;
using HierRetrieval.Export.Onnx;
using Microsoft.ML;

namespace HierRetrieval.Runtime.Zips;

/// <summary>
/// Writes a retrieval chain as a model zip, and reads the retrieval graph back out of one, for bulk work that
/// bypasses ML.NET's per-row path.
/// ML.NET stores an ApplyOnnxModel step's model as an entry named <c>.../OnnxModel</c>: a 4-byte little-endian length
/// followed by the ONNX bytes. The entry whose model carries this library's retrieval metadata is the one.
/// </summary>
public static class RetrievalModelZip
{
    /// <summary>Saves <paramref name="chain"/> as a model zip (atomically), with an input schema of one text column, <paramref name="queryColumnName"/>.</summary>
    public static void Save(MLContext mlContext, ITransformer chain, string queryColumnName, string path) =>
        AtomicFile.Write(path, stream => mlContext.Model.Save(chain, OnnxChains.TextSchema(queryColumnName), stream));

    /// <summary>The exported retrieval model inside the zip at <paramref name="path"/>.</summary>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">The file is not a zip, or holds no retrieval model of this library.</exception>
    public static ExportedRetrievalModel Read(string path) => ReadContents(path).Retrieval();

    /// <summary>
    /// Every model of this library inside the zip at <paramref name="path"/>, in one pass over it (checked first
    /// against its CRC-32s): learn the zip's kind and parse its model without a second pass over a large encoder.
    /// </summary>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">The file is not a readable zip.</exception>
    public static ModelZipContents ReadContents(string path) => new(path, ReadOnnx(path, ModelZipContents.AllKinds));

    /// <summary>
    /// The ONNX bytes, and where they came from, of the first entry of each of <paramref name="kinds"/> that the zip
    /// holds, in one pass over the zip (checked first against its CRC-32s); the pass stops when every kind is found.
    /// </summary>
    private static Dictionary<string, (byte[] Bytes, string Source)> ReadOnnx(string path, params string[] kinds)
    {
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"{path}: no such model file", path);
        }

        ZipArchive archive;
        try
        {
            archive = ZipFile.OpenRead(path);
        }
        catch (InvalidDataException e)
        {
            throw new InvalidDataException($"{path}: not a model zip ({e.Message})", e);
        }

        using (archive)
        {
            try
            {
                Verify(archive, path);
                var found = new Dictionary<string, (byte[] Bytes, string Source)>(StringComparer.Ordinal);
                foreach (var entry in archive.Entries.Where(e => e.FullName.EndsWith("/OnnxModel", StringComparison.Ordinal)))
                {
                    byte[] onnx = ReadPrefixed(entry, path);
                    if (OnnxModelMetadata.KindOf(onnx) is { } kind && kinds.Contains(kind))
                    {
                        found.TryAdd(kind, (onnx, $"{path}:{entry.FullName}"));
                        if (found.Count == kinds.Length)
                        {
                            break;
                        }
                    }
                }

                return found;
            }
            catch (InvalidDataException e) when (!e.Message.StartsWith(path, StringComparison.Ordinal))
            {
                // The archive reads its central directory lazily: damage there shows up only here.
                throw new InvalidDataException($"{path}: not a readable model zip ({e.Message})", e);
            }
        }
    }

    /// <summary>
    /// Checks every entry against the CRC-32 and length the zip records for it: ZipArchive does not, and a damaged
    /// entry would otherwise load and score wrongly without a word.
    /// </summary>
    /// <exception cref="InvalidDataException">An entry is damaged; the message names the zip and the entry.</exception>
    private static void Verify(ZipArchive archive, string path)
    {
        byte[] buffer = new byte[1 << 16];
        foreach (var entry in archive.Entries)
        {
            var crc = new Crc32();
            long length = 0;
            try
            {
                using var stream = entry.Open();
                int read;
                while ((read = stream.Read(buffer)) > 0)
                {
                    crc.Append(buffer.AsSpan(0, read));
                    length += read;
                }
            }
            catch (InvalidDataException e)
            {
                throw new InvalidDataException($"{path}: the zip is damaged: entry {entry.FullName} cannot be read ({e.Message}); save the model again", e);
            }

            if (length != entry.Length || crc.GetCurrentHashAsUInt32() != entry.Crc32)
            {
                throw new InvalidDataException($"{path}: the zip is damaged: entry {entry.FullName} fails its CRC-32 check; save the model again");
            }
        }
    }

    private static byte[] ReadPrefixed(ZipArchiveEntry entry, string path)
    {
        using var stream = entry.Open();
        using var reader = new BinaryReader(stream);
        int length = reader.ReadInt32();
        if (length < 0 || length != entry.Length - sizeof(int))
        {
            throw new InvalidDataException($"{path}:{entry.FullName}: length prefix {length} does not match the entry's {entry.Length} bytes");
        }

        return reader.ReadBytes(length);
    }
}
