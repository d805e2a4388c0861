using HierRetrieval.Data.Hierarchies;
using HierRetrieval.Data.IO;

namespace HierRetrieval.Data.Datasets;

/// <summary>
/// Reads node texts for a hierarchy: UTF-8, one <c>id&lt;TAB&gt;text</c> per line; blank lines and lines starting
/// with <c>#</c> are ignored. Every id must name a node of the hierarchy, at most once. A node without a line keeps
/// the text it had (WordNet's lemmas and gloss) or, in a hierarchy without text, is read as its id.
/// </summary>
public static class NodeTextReader
{
    /// <summary>The hierarchy with the texts of <paramref name="path"/>.</summary>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidHierarchyException">A line is malformed, names an unknown node or repeats one; the message gives the file and line.</exception>
    public static Hierarchy ReadFile(string path, Hierarchy hierarchy)
    {
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"{path}: no such node-text file", path);
        }

        var texts = Enumerable.Range(0, hierarchy.Count).Select(hierarchy.TextOrIdOf).ToArray();
        var lineOf = new int?[hierarchy.Count];
        foreach (var line in Utf8Lines.Read(path))
        {
            int number = checked((int)line.Number);
            string text = line.Text ?? throw new InvalidHierarchyException(line.Problem, path, number);
            if (string.IsNullOrWhiteSpace(text) || text.StartsWith('#'))
            {
                continue;
            }

            int tab = text.IndexOf('\t', StringComparison.Ordinal);
            if (tab <= 0)
            {
                throw new InvalidHierarchyException("expected 'id<TAB>text'", path, number);
            }

            string id = text[..tab], nodeText = text[(tab + 1)..].Trim();
            if (!hierarchy.TryGetIndex(id, out int node))
            {
                throw new InvalidHierarchyException($"no node of the hierarchy has id '{TextExcerpt.Of(id)}'", path, number);
            }

            if (nodeText.Length == 0)
            {
                throw new InvalidHierarchyException($"the text of '{TextExcerpt.Of(id)}' is empty", path, number);
            }

            if (lineOf[node] is int first)
            {
                throw new InvalidHierarchyException($"'{TextExcerpt.Of(id)}' already has a text (line {first})", path, number);
            }

            lineOf[node] = number;
            texts[node] = new NodeText([nodeText], string.Empty);
        }

        return hierarchy.WithText(texts);
    }
}
