using System.IO.Compression;
using System.IO.Hashing;
using HierRetrieval.Data.IO;
using HierRetrieval.Export.Models;
using HierRetrieval.Export.Onnx;
using HierRetrieval.Runtime.Text.Backbones;
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
    public static ExportedRetrievalModel Read(string path)
    {
        var (bytes, source) = ReadOnnx(path, OnnxModelMetadata.RetrievalKind);
        return ExportedRetrievalModel.Read(bytes, source);
    }

    /// <summary>The text retrieval model inside the zip at <paramref name="path"/>.</summary>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">The file is not a zip, or holds no text retrieval model of this library.</exception>
    public static ExportedTextRetrievalModel ReadText(string path)
    {
        var (bytes, source) = ReadOnnx(path, OnnxModelMetadata.TextRetrievalKind);
        return ExportedTextRetrievalModel.Read(bytes, source);
    }

    /// <summary>The backbone retrieval model inside the zip at <paramref name="path"/>, and the sentence encoder it embeds text with.</summary>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">The file is not a zip, or holds no backbone retrieval model of this library.</exception>
    public static (SentenceEncoderModel Encoder, ExportedBackboneRetrievalModel Model) ReadBackbone(string path)
    {
        var found = ReadOnnx(path, OnnxModelMetadata.BackboneRetrievalKind, OnnxModelMetadata.SentenceEncoderKind);
        var (bytes, source) = Require(found, path, OnnxModelMetadata.BackboneRetrievalKind);
        var (encoder, encoderSource) = Require(found, path, OnnxModelMetadata.SentenceEncoderKind);
        return (SentenceEncoderModel.FromPooledGraph(encoder, encoderSource), ExportedBackboneRetrievalModel.Read(bytes, source));
    }

    /// <summary>The kind of model in the zip at <paramref name="path"/>: <see cref="OnnxModelMetadata.RetrievalKind"/> (lookup tables), <see cref="OnnxModelMetadata.TextRetrievalKind"/> or <see cref="OnnxModelMetadata.BackboneRetrievalKind"/>.</summary>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">The file is not a zip, or holds no retrieval model of this library.</exception>
    public static string ModelKind(string path) =>
        FirstKind(path, OnnxModelMetadata.RetrievalKind, OnnxModelMetadata.TextRetrievalKind, OnnxModelMetadata.BackboneRetrievalKind);

    /// <summary>The kind of text model in the zip at <paramref name="path"/>: <see cref="OnnxModelMetadata.TextRetrievalKind"/> or <see cref="OnnxModelMetadata.BackboneRetrievalKind"/>.</summary>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">The file is not a zip, or holds no text model of this library.</exception>
    public static string TextModelKind(string path) =>
        FirstKind(path, OnnxModelMetadata.TextRetrievalKind, OnnxModelMetadata.BackboneRetrievalKind);

    /// <summary>The ONNX bytes of the entry whose model is of <paramref name="kind"/>, and where they came from.</summary>
    private static (byte[] Bytes, string Source) ReadOnnx(string path, string kind) => Require(ReadOnnx(path, [kind]), path, kind);

    /// <summary>The first of <paramref name="kinds"/> that the zip holds a model of.</summary>
    private static string FirstKind(string path, params string[] kinds)
    {
        var found = ReadOnnx(path, kinds);
        return kinds.FirstOrDefault(found.ContainsKey) ?? throw NotFound(path, kinds);
    }

    /// <summary>The entry of <paramref name="kind"/> among <paramref name="found"/>.</summary>
    /// <exception cref="InvalidDataException">The zip holds no model of that kind.</exception>
    private static (byte[] Bytes, string Source) Require(Dictionary<string, (byte[] Bytes, string Source)> found, string path, string kind) =>
        found.TryGetValue(kind, out var entry) ? entry : throw NotFound(path, kind);

    private static InvalidDataException NotFound(string path, params string[] kinds) =>
        new($"{path}: the zip holds no HierRetrieval '{string.Join("' or '", kinds)}' model (was it saved by this library?)");

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
