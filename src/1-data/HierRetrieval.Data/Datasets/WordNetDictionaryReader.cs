using System.Globalization;
using System.Text;
using HierRetrieval.Data.Hierarchies;

namespace HierRetrieval.Data.Datasets;

/// <summary>
/// Reads the noun synsets of a WordNet 3.0 dictionary folder (<c>data.noun</c> and <c>index.noun</c>, as installed
/// by Debian's wordnet-base at /usr/share/wordnet). Files are read as Latin-1; licence lines (two leading
/// spaces) are skipped. Every format error names the file and line.
/// </summary>
public static class WordNetDictionaryReader
{
    /// <summary>The folder where Debian's wordnet-base package installs the dictionary.</summary>
    public const string DebianDictionaryFolder = "/usr/share/wordnet";

    /// <summary>Reads every noun synset from <paramref name="dictionaryFolder"/>, in data.noun order.</summary>
    /// <exception cref="FileNotFoundException">data.noun or index.noun is missing.</exception>
    /// <exception cref="InvalidHierarchyException">A line of either file is malformed.</exception>
    public static IReadOnlyList<WordNetSynset> ReadNouns(string dictionaryFolder)
    {
        string dataPath = Path.Combine(dictionaryFolder, "data.noun");
        string indexPath = Path.Combine(dictionaryFolder, "index.noun");
        foreach (string path in new[] { dataPath, indexPath })
        {
            if (!File.Exists(path))
            {
                throw new FileNotFoundException($"{path} not found: point to a WordNet 3.0 dictionary folder (Debian: apt-get install wordnet-base)", path);
            }
        }

        var senses = ReadSenseOffsets(indexPath);
        var synsets = new List<WordNetSynset>();
        foreach (var (line, number) in ReadDataLines(dataPath))
        {
            synsets.Add(ParseSynset(line, dataPath, number, senses));
        }

        return synsets;
    }

    private static IEnumerable<(string Line, int Number)> ReadDataLines(string path)
    {
        int number = 0;
        foreach (string line in File.ReadLines(path, Encoding.Latin1))
        {
            number++;
            if (line.Length > 0 && !line.StartsWith("  ", StringComparison.Ordinal))
            {
                yield return (line, number);
            }
        }
    }

    /// <summary>index.noun: lemma pos synset_cnt p_cnt [ptr_symbol]* sense_cnt tagsense_cnt offset*; sense numbers follow the offsets' order.</summary>
    private static Dictionary<string, long[]> ReadSenseOffsets(string path)
    {
        var senses = new Dictionary<string, long[]>(StringComparer.Ordinal);
        foreach (var (line, number) in ReadDataLines(path))
        {
            var tokens = new Tokens(line, path, number);
            string lemma = tokens.Next("lemma");
            tokens.Next("pos");
            int synsetCount = tokens.NextInt("synset_cnt", NumberStyles.None);
            int pointerCount = tokens.NextInt("p_cnt", NumberStyles.None);
            tokens.Skip(pointerCount + 2);
            long[] offsets = new long[synsetCount];
            for (int i = 0; i < synsetCount; i++)
            {
                offsets[i] = tokens.NextLong("synset_offset");
            }

            senses[lemma] = offsets;
        }

        return senses;
    }

    private static WordNetSynset ParseSynset(string line, string path, int number, Dictionary<string, long[]> senses)
    {
        int bar = line.IndexOf('|', StringComparison.Ordinal);
        if (bar < 0)
        {
            throw new InvalidHierarchyException("no '|' before the gloss", path, number);
        }

        var tokens = new Tokens(line[..bar], path, number);
        long offset = tokens.NextLong("synset_offset");
        tokens.Next("lex_filenum");
        tokens.Next("ss_type");
        int wordCount = tokens.NextInt("w_cnt", NumberStyles.AllowHexSpecifier);
        var lemmas = new string[wordCount];
        for (int i = 0; i < wordCount; i++)
        {
            lemmas[i] = tokens.Next("word");
            tokens.Next("lex_id");
        }

        int pointerCount = tokens.NextInt("p_cnt", NumberStyles.None);
        var hypernyms = new List<long>();
        var instanceHypernyms = new List<long>();
        for (int i = 0; i < pointerCount; i++)
        {
            string symbol = tokens.Next("pointer_symbol");
            long target = tokens.NextLong("target offset");
            string pos = tokens.Next("pos");
            tokens.Next("source/target");
            if (pos == "n" && symbol == "@")
            {
                hypernyms.Add(target);
            }
            else if (pos == "n" && symbol == "@i")
            {
                instanceHypernyms.Add(target);
            }
        }

        if (wordCount == 0)
        {
            throw new InvalidHierarchyException("synset has no words", path, number);
        }

        string lemma = lemmas[0].ToLowerInvariant();
        int sense = senses.TryGetValue(lemma, out long[]? offsets) ? Array.IndexOf(offsets, offset) + 1 : 0;
        if (sense == 0)
        {
            throw new InvalidHierarchyException($"lemma '{lemma}' of synset {offset:D8} is not listed with that synset in index.noun", path, number);
        }

        string name = string.Create(CultureInfo.InvariantCulture, $"{lemma}.n.{sense:D2}");
        return new WordNetSynset(offset, name, lemmas, line[(bar + 1)..].Trim(), hypernyms, instanceHypernyms);
    }

    /// <summary>Space-separated fields of one line, with errors that name the file, line and field.</summary>
    private ref struct Tokens(string line, string path, int number)
    {
        private int _position;

        public string Next(string field)
        {
            while (_position < line.Length && line[_position] == ' ')
            {
                _position++;
            }

            int start = _position;
            while (_position < line.Length && line[_position] != ' ')
            {
                _position++;
            }

            return _position > start ? line[start.._position] : throw new InvalidHierarchyException($"missing field '{field}'", path, number);
        }

        public void Skip(int count)
        {
            for (int i = 0; i < count; i++)
            {
                Next("field");
            }
        }

        public int NextInt(string field, NumberStyles style) =>
            int.TryParse(Next(field), style, CultureInfo.InvariantCulture, out int value) ? value : throw Invalid(field);

        public long NextLong(string field) =>
            long.TryParse(Next(field), NumberStyles.None, CultureInfo.InvariantCulture, out long value) ? value : throw Invalid(field);

        private readonly InvalidHierarchyException Invalid(string field) => new($"field '{field}' is not a number", path, number);
    }
}
