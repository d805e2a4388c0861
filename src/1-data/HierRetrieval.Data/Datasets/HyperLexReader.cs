using System.Globalization;
using System.IO.Compression;

namespace HierRetrieval.Data.Datasets;

/// <summary>One graded lexical-entailment pair: to what degree <paramref name="Word1"/> is a type of <paramref name="Word2"/>.</summary>
/// <param name="Word1">The hyponym candidate.</param>
/// <param name="Word2">The hypernym candidate.</param>
/// <param name="Score">Mean human rating (AVG_SCORE, 0..6).</param>
public sealed record HyperLexPair(string Word1, string Word2, double Score);

/// <summary>
/// Reads HyperLex (Vulic et al. 2017): space-separated lines <c>WORD1 WORD2 POS TYPE AVG_SCORE ...</c> after a header.
/// Accepts the nouns file, the all-pairs file (noun rows are kept), or the distribution zip (its nouns file is read).
/// </summary>
public static class HyperLexReader
{
    /// <summary>The nouns file inside the distribution zip.</summary>
    public const string NounsEntry = "nouns-verbs/hyperlex-nouns.txt";

    /// <summary>The noun pairs of <paramref name="path"/> (a .txt file or the distribution .zip).</summary>
    /// <exception cref="InvalidDataException">A line is malformed (the message names the file and line), the file holds no noun pair, or it is not a readable zip or lacks the nouns file.</exception>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    public static IReadOnlyList<HyperLexPair> ReadNouns(string path)
    {
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"{path}: no such HyperLex file", path);
        }

        if (!path.EndsWith(".zip", StringComparison.OrdinalIgnoreCase))
        {
            using var text = File.OpenText(path);
            return Parse(text, path);
        }

        ZipArchive archive;
        try
        {
            archive = ZipFile.OpenRead(path);
        }
        catch (InvalidDataException e)
        {
            throw new InvalidDataException($"{path}: not a readable zip ({e.Message})", e);
        }

        using var owner = archive;
        var entry = archive.GetEntry(NounsEntry) ?? throw new InvalidDataException($"{path}: the archive has no {NounsEntry}");
        using var reader = new StreamReader(entry.Open());
        return Parse(reader, $"{path}!{NounsEntry}");
    }

    /// <summary>Parses HyperLex text; <paramref name="sourceName"/> prefixes error messages.</summary>
    /// <exception cref="InvalidDataException">A line is malformed, or there is no noun pair at all (an empty or header-only file).</exception>
    public static IReadOnlyList<HyperLexPair> Parse(TextReader reader, string sourceName)
    {
        var pairs = new List<HyperLexPair>();
        int lineNumber = 0;
        while (reader.ReadLine() is { } line)
        {
            lineNumber++;
            if ((lineNumber == 1 && line.StartsWith("WORD1", StringComparison.Ordinal)) || line.Trim().Length == 0)
            {
                continue;
            }

            string[] fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length < 5)
            {
                throw new InvalidDataException($"{sourceName}:{lineNumber}: expected WORD1 WORD2 POS TYPE AVG_SCORE, found {fields.Length} fields");
            }

            if (!double.TryParse(fields[4], NumberStyles.Float, CultureInfo.InvariantCulture, out double score))
            {
                throw new InvalidDataException($"{sourceName}:{lineNumber}: field 5 (AVG_SCORE) '{IO.TextExcerpt.Of(fields[4])}' is not a number");
            }

            if (fields[2] == "N")
            {
                pairs.Add(new HyperLexPair(fields[0], fields[1], score));
            }
        }

        return pairs.Count > 0
            ? pairs
            : throw new InvalidDataException($"{sourceName}: no noun pairs (POS N) in {lineNumber:N0} lines: the file is empty, holds only a header, or is not HyperLex");
    }
}
