using System.Globalization;
using System.IO.Compression;
using System.Text;
using HierRetrieval.Data.Hierarchies;

namespace HierRetrieval.Data.Datasets;

/// <summary>
/// The WordNet 3.0 noun hierarchy: synsets named NLTK-style (dog.n.01) as node ids, lemmas and gloss as node
/// text, hypernym and instance-hypernym pointers as edges. Converts between the dictionary's synsets, the
/// compact archive shipped in this assembly (gzip-compressed TSV) and a <see cref="Hierarchy"/>.
/// </summary>
public static class WordNetNouns
{
    /// <summary>The id of the mammal subtree's root.</summary>
    public const string MammalRoot = "mammal.n.01";

    /// <summary>
    /// Leaves under mammal.n.01 that are not kinds of mammal, left out of the mammal subtree as in Nickel and
    /// Kiela's (2017) mammal closure, so that it has their 1,180 nodes and 6,540 closure pairs.
    /// </summary>
    public static IReadOnlyList<string> MammalExclusions { get; } = ["tusker.n.01", "female_mammal.n.01"];

    private const string ResourceName = "HierRetrieval.Data.wordnet-nouns.tsv.gz";
    private const string Header = "# WordNet 3.0 nouns (Princeton University, WordNet licence: datasets/wordnet/LICENSE). Columns: offset, name, lemmas, hypernym offsets, instance-hypernym offsets, gloss.";

    /// <summary>Builds the hierarchy from synsets; node order follows the synsets' order.</summary>
    /// <exception cref="InvalidHierarchyException">A pointer targets an offset that no synset has, or the pointers form a cycle.</exception>
    public static Hierarchy ToHierarchy(IReadOnlyList<WordNetSynset> synsets, string? sourceName = null)
    {
        var nameOf = new Dictionary<long, string>(synsets.Count);
        var builder = new HierarchyBuilder(sourceName);
        foreach (var synset in synsets)
        {
            nameOf[synset.Offset] = synset.Name;
            builder.AddNode(synset.Name, new NodeText(synset.Lemmas, synset.Gloss));
        }

        foreach (var synset in synsets)
        {
            foreach (long parent in synset.Hypernyms.Concat(synset.InstanceHypernyms))
            {
                string parentName = nameOf.TryGetValue(parent, out string? name)
                    ? name
                    : throw new InvalidHierarchyException($"synset {synset.Name} points to unknown offset {parent:D8}", sourceName);
                builder.AddEdge(synset.Name, parentName);
            }
        }

        return builder.Build();
    }

    /// <summary>Writes synsets in the compact archive format (gzip-compressed TSV, one synset a line).</summary>
    public static void WriteArchive(IReadOnlyList<WordNetSynset> synsets, Stream output)
    {
        using var gzip = new GZipStream(output, CompressionLevel.SmallestSize, leaveOpen: true);
        using var writer = new StreamWriter(gzip, new UTF8Encoding(false)) { NewLine = "\n" };
        writer.WriteLine(Header);
        foreach (var s in synsets)
        {
            writer.WriteLine(string.Join('\t',
                s.Offset.ToString("D8", CultureInfo.InvariantCulture),
                s.Name,
                string.Join(' ', s.Lemmas),
                string.Join(' ', s.Hypernyms.Select(o => o.ToString("D8", CultureInfo.InvariantCulture))),
                string.Join(' ', s.InstanceHypernyms.Select(o => o.ToString("D8", CultureInfo.InvariantCulture))),
                s.Gloss));
        }
    }

    /// <summary>Reads synsets from the compact archive format.</summary>
    /// <exception cref="InvalidHierarchyException">A line is malformed.</exception>
    public static IReadOnlyList<WordNetSynset> ReadArchive(Stream input, string sourceName)
    {
        using var gzip = new GZipStream(input, CompressionMode.Decompress, leaveOpen: true);
        using var reader = new StreamReader(gzip, Encoding.UTF8);
        var synsets = new List<WordNetSynset>();
        int number = 0;
        while (reader.ReadLine() is { } line)
        {
            number++;
            if (line.Length == 0 || line.StartsWith('#'))
            {
                continue;
            }

            string[] f = line.Split('\t');
            if (f.Length != 6)
            {
                throw new InvalidHierarchyException($"expected 6 tab-separated fields, found {f.Length}", sourceName, number);
            }

            synsets.Add(new WordNetSynset(
                ParseOffset(f[0], sourceName, number),
                f[1],
                f[2].Split(' ', StringSplitOptions.RemoveEmptyEntries),
                f[5],
                f[3].Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(o => ParseOffset(o, sourceName, number)).ToArray(),
                f[4].Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(o => ParseOffset(o, sourceName, number)).ToArray()));
        }

        return synsets;
    }

    /// <summary>The synsets of the archive shipped in this assembly.</summary>
    public static IReadOnlyList<WordNetSynset> ReadShippedArchive()
    {
        using var stream = typeof(WordNetNouns).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"resource {ResourceName} is missing from {typeof(WordNetNouns).Assembly.GetName().Name}: regenerate datasets/wordnet/wordnet-nouns.tsv.gz (see datasets/wordnet/README.md) and rebuild");
        return ReadArchive(stream, "wordnet-nouns.tsv.gz");
    }

    private static long ParseOffset(string text, string sourceName, int number) =>
        long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out long offset)
            ? offset
            : throw new InvalidHierarchyException($"'{text}' is not a synset offset", sourceName, number);
}
