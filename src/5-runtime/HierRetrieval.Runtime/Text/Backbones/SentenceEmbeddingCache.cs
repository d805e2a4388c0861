using System.IO.Hashing;
using System.Runtime.InteropServices;
using System.Text;
using HierRetrieval.Data.IO;
using HierRetrieval.Retrieval;

namespace HierRetrieval.Runtime.Text.Backbones;

/// <summary>
/// Sentence embeddings on disk, keyed by the encoder's <see cref="SentenceEncoderModel.Fingerprint"/> and each text's
/// 128-bit hash: a corpus is encoded once and every later run (another split, another recipe, another head) reads
/// it back. One file per encoder, <c>&lt;folder&gt;/&lt;fingerprint&gt;.embeddings</c>, rewritten atomically with an
/// integrity footer after every <see cref="SaveEvery"/> new texts, so a stopped run resumes where it stopped.
/// </summary>
public sealed class SentenceEmbeddingCache
{
    private const string Remedy = "delete it and it is rebuilt on the next run";
    private static readonly byte[] Magic = "HRSEC001"u8.ToArray();

    /// <summary>A cache in <paramref name="folder"/> (created on first write).</summary>
    /// <param name="folder">The folder.</param>
    /// <param name="saveEvery">New texts encoded between two saves of the file.</param>
    public SentenceEmbeddingCache(string folder, int saveEvery = 4096)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(folder);
        ArgumentOutOfRangeException.ThrowIfLessThan(saveEvery, 1);
        Folder = folder;
        SaveEvery = saveEvery;
    }

    /// <summary>New texts encoded between two saves of the file.</summary>
    public int SaveEvery { get; }

    /// <summary>The folder that holds one file per encoder.</summary>
    public string Folder { get; }

    /// <summary>The file that holds <paramref name="model"/>'s embeddings.</summary>
    public string PathOf(SentenceEncoderModel model) => Path.Combine(Folder, $"{model.Fingerprint}.embeddings");

    /// <summary>
    /// Row i = <paramref name="encoder"/>'s embedding of <paramref name="texts"/>[i]: read from the cache where present,
    /// encoded (each distinct text once) and added to it where not.
    /// </summary>
    /// <param name="encoder">The encoder; its model names the cache file.</param>
    /// <param name="texts">The texts.</param>
    /// <param name="progress">Told the new texts encoded so far, of how many.</param>
    /// <param name="cancellationToken">Stops encoding between batches; what was saved stays.</param>
    /// <returns>The embeddings and how many distinct texts had to be encoded.</returns>
    /// <exception cref="InvalidDataException">The cache file is damaged or belongs to another dimension; the message names it.</exception>
    public (EmbeddingMatrix Embeddings, int Encoded) Encode(SentenceEncoder encoder, IReadOnlyList<string> texts, IProgress<(long Done, long Total)>? progress = null, CancellationToken cancellationToken = default)
    {
        string path = PathOf(encoder.Model);
        var stored = File.Exists(path) ? Read(path, encoder.Dimension) : new Store(encoder.Dimension);
        var keys = new UInt128[texts.Count];
        var missing = new List<string>();
        var missingKeys = new HashSet<UInt128>();
        for (int i = 0; i < texts.Count; i++)
        {
            keys[i] = KeyOf(texts[i] ?? throw new ArgumentException($"text {i} is null", nameof(texts)));
            if (!stored.Rows.ContainsKey(keys[i]) && missingKeys.Add(keys[i]))
            {
                missing.Add(texts[i]);
            }
        }

        // New texts are encoded and saved a chunk at a time, so a stopped run keeps what it had encoded.
        for (int start = 0; start < missing.Count; start += SaveEvery)
        {
            var chunk = missing.GetRange(start, Math.Min(SaveEvery, missing.Count - start));
            int done = start;
            var encoded = encoder.Encode(chunk, progress is null ? null : new Offset(progress, done, missing.Count), cancellationToken);
            for (int i = 0; i < chunk.Count; i++)
            {
                stored.Add(KeyOf(chunk[i]), encoded.Row(i));
            }

            Write(path, stored);
        }

        var result = new EmbeddingMatrix(texts.Count, encoder.Dimension);
        for (int i = 0; i < keys.Length; i++)
        {
            stored.Row(keys[i]).CopyTo(result.Row(i));
        }

        return (result, missing.Count);
    }

    /// <summary>Reports a chunk's progress as progress through all the new texts.</summary>
    private sealed class Offset(IProgress<(long Done, long Total)> progress, long before, long total) : IProgress<(long Done, long Total)>
    {
        public void Report((long Done, long Total) value) => progress.Report((before + value.Done, total));
    }

    private static UInt128 KeyOf(string text) => XxHash128.HashToUInt128(Encoding.UTF8.GetBytes(text));

    /// <summary>
    /// The cached rows: a key -> row index map over one value array, adopted as read from the file and grown by
    /// doubling only when new rows arrive (a cache of a whole corpus is held once, not copied row by row).
    /// </summary>
    private sealed class Store
    {
        private UInt128[] _keys;
        private float[] _values;

        public Store(int dimension, UInt128[]? keys = null, float[]? values = null)
        {
            Dimension = dimension;
            _keys = keys ?? [];
            _values = values ?? [];
            Count = _keys.Length;
            for (int i = 0; i < Count; i++)
            {
                Rows[_keys[i]] = i;
            }
        }

        public int Dimension { get; }

        public int Count { get; private set; }

        public Dictionary<UInt128, int> Rows { get; } = [];

        public ReadOnlySpan<UInt128> Keys => _keys.AsSpan(0, Count);

        public ReadOnlySpan<float> Values => _values.AsSpan(0, Count * Dimension);

        public void Add(UInt128 key, ReadOnlySpan<float> row)
        {
            if (Count == _keys.Length)
            {
                int capacity = Math.Max(1024, Count * 2);
                Array.Resize(ref _keys, capacity);
                Array.Resize(ref _values, capacity * Dimension);
            }

            Rows[key] = Count;
            _keys[Count] = key;
            row.CopyTo(_values.AsSpan(Count * Dimension, Dimension));
            Count++;
        }

        public ReadOnlySpan<float> Row(UInt128 key) => _values.AsSpan(Rows[key] * Dimension, Dimension);
    }

    private static void Write(string path, Store store) => ChecksummedFile.Write(path, stream =>
    {
        using var writer = new BinaryWriter(stream, Encoding.UTF8, leaveOpen: true);
        writer.Write(Magic);
        writer.Write(store.Dimension);
        writer.Write(store.Count);
        writer.Write(MemoryMarshal.AsBytes(store.Keys));
        writer.Write(MemoryMarshal.AsBytes(store.Values));
    });

    private static Store Read(string path, int dimension)
    {
        using var stream = ChecksummedFile.OpenPayload(path, "sentence-embedding cache", Remedy);
        using var reader = new BinaryReader(stream);
        if (!reader.ReadBytes(Magic.Length).AsSpan().SequenceEqual(Magic))
        {
            throw new InvalidDataException($"{path}: not a sentence-embedding cache; {Remedy}");
        }

        int storedDimension = reader.ReadInt32();
        int count = reader.ReadInt32();
        if (storedDimension != dimension || count < 0)
        {
            throw new InvalidDataException($"{path}: the cache holds {storedDimension}-d embeddings, the encoder gives {dimension}-d; {Remedy}");
        }

        var keys = new UInt128[count];
        var values = new float[(long)count * dimension];
        stream.ReadExactly(MemoryMarshal.AsBytes(keys.AsSpan()));
        stream.ReadExactly(MemoryMarshal.AsBytes(values.AsSpan()));
        return new Store(dimension, keys, values);
    }
}
