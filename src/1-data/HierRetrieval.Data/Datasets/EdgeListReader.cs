using HierRetrieval.Data.Hierarchies;
using HierRetrieval.Data.IO;

namespace HierRetrieval.Data.Datasets;

/// <summary>
/// Reads the generic edge-list format: UTF-8 text, one <c>child&lt;TAB&gt;parent</c> per line; a line with a
/// single id declares a node without parents; blank lines and lines starting with <c>#</c> are ignored.
/// Every error names the source, the line and the reason.
/// </summary>
public static class EdgeListReader
{
    /// <summary>Reads a hierarchy from an edge-list file.</summary>
    /// <exception cref="InvalidHierarchyException">The file is malformed, has a self-loop or a cycle, or declares no node.</exception>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    public static Hierarchy ReadFile(string path)
    {
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"{path}: no such file", path);
        }

        return Read(Utf8Lines.Read(path).Select(line => line.Text ?? throw new InvalidHierarchyException(line.Problem, path, checked((int)line.Number))), path);
    }

    /// <summary>Reads a hierarchy from edge-list text; <paramref name="sourceName"/> prefixes error messages.</summary>
    public static Hierarchy Read(TextReader reader, string sourceName) => Read(Lines(reader), sourceName);

    private static IEnumerable<string> Lines(TextReader reader)
    {
        while (reader.ReadLine() is { } line)
        {
            yield return line;
        }
    }

    private static Hierarchy Read(IEnumerable<string> lines, string sourceName)
    {
        var builder = new HierarchyBuilder(sourceName);
        int lineNumber = 0;
        foreach (string line in lines)
        {
            lineNumber++;
            if (string.IsNullOrWhiteSpace(line) || line.StartsWith('#'))
            {
                continue;
            }

            string[] fields = line.Split('\t');
            if (fields.Length > 2)
            {
                throw new InvalidHierarchyException($"expected 'child<TAB>parent' or a single id, found {fields.Length} tab-separated fields", sourceName, lineNumber);
            }

            for (int i = 0; i < fields.Length; i++)
            {
                string field = fields[i];
                int control = field.AsSpan().IndexOfAnyInRange('\0', '\u001f');
                if (field.Length == 0 || field.Trim().Length != field.Length || control >= 0)
                {
                    string what = field.Length == 0 ? "is empty"
                        : control >= 0 ? $"holds the control character U+{(int)field[control]:X4} at character {control + 1}"
                        : "has leading or trailing whitespace";
                    throw new InvalidHierarchyException($"field {i + 1} ({(i == 0 ? "child" : "parent")}) {what}", sourceName, lineNumber);
                }
            }

            if (fields.Length == 1)
            {
                builder.AddNode(fields[0], line: lineNumber);
            }
            else
            {
                builder.AddEdge(fields[0], fields[1], lineNumber);
            }
        }

        return builder.Build();
    }

    /// <summary>Writes a hierarchy in the edge-list format (nodes without parents as single-id lines).</summary>
    public static void Write(Hierarchy hierarchy, TextWriter writer)
    {
        foreach (int node in hierarchy.TopologicalOrder)
        {
            var parents = hierarchy.ParentsOf(node);
            if (parents.IsEmpty)
            {
                writer.Write(hierarchy.IdOf(node));
                writer.Write('\n');
            }

            foreach (int parent in parents)
            {
                writer.Write(hierarchy.IdOf(node));
                writer.Write('\t');
                writer.Write(hierarchy.IdOf(parent));
                writer.Write('\n');
            }
        }
    }
}
