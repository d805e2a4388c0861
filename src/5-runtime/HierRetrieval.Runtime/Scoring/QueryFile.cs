using HierRetrieval.Data.IO;

namespace HierRetrieval.Runtime.Scoring;

/// <summary>One line of a query file: the query in its first column, or why the line is bad.</summary>
/// <param name="Line">1-based line number.</param>
/// <param name="Query">The query, or null for a bad line.</param>
/// <param name="Problem">Why the line is bad, or null.</param>
public readonly record struct QueryLine(long Line, string? Query, string? Problem);

/// <summary>
/// Reads queries from a delimited UTF-8 text file: the first column holds the query (TSV; CSV when the file name ends
/// in .csv, with RFC 4180 quoting of that field); empty lines and lines starting with <c>#</c> are skipped; a header
/// row is skipped only when asked. A line whose query is empty or blank, whose quoting is broken, or whose bytes are
/// not UTF-8 is a bad line, reported with its line number (each line is decoded on its own).
/// </summary>
public static class QueryFile
{
    /// <summary>The lines of <paramref name="path"/> in order, each a query or a bad line.</summary>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    public static IEnumerable<QueryLine> Read(string path, bool header)
    {
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"{path}: no such query file", path);
        }

        bool csv = path.EndsWith(".csv", StringComparison.OrdinalIgnoreCase);
        return ReadLines(path, csv, header);
    }

    private static IEnumerable<QueryLine> ReadLines(string path, bool csv, bool header)
    {
        bool skipHeader = header;
        foreach (var utf8 in Utf8Lines.Read(path))
        {
            if (utf8.Text is not { } line)
            {
                skipHeader = false;
                yield return new QueryLine(utf8.Number, null, utf8.Problem);
                continue;
            }

            if (line.Length == 0 || line[0] == '#')
            {
                continue;
            }

            if (skipHeader)
            {
                skipHeader = false;
                continue;
            }

            yield return csv ? FirstCsvField(utf8.Number, line) : FirstTsvField(utf8.Number, line);
        }
    }

    private static QueryLine FirstTsvField(long number, string line)
    {
        int tab = line.IndexOf('\t');
        string query = tab < 0 ? line : line[..tab];
        return string.IsNullOrWhiteSpace(query) ? new QueryLine(number, null, "column 1: the query is empty") : new QueryLine(number, query, null);
    }

    private static QueryLine FirstCsvField(long number, string line)
    {
        if (line[0] != '"')
        {
            int comma = line.IndexOf(',');
            string field = comma < 0 ? line : line[..comma];
            return field.Contains('"')
                ? new QueryLine(number, null, "column 1: a quote inside an unquoted field")
                : string.IsNullOrWhiteSpace(field) ? new QueryLine(number, null, "column 1: the query is empty") : new QueryLine(number, field, null);
        }

        var query = new System.Text.StringBuilder();
        for (int i = 1; i < line.Length; i++)
        {
            if (line[i] != '"')
            {
                query.Append(line[i]);
            }
            else if (i + 1 < line.Length && line[i + 1] == '"')
            {
                query.Append('"');
                i++;
            }
            else if (i + 1 == line.Length || line[i + 1] == ',')
            {
                return query.Length == 0 ? new QueryLine(number, null, "column 1: the query is empty") : new QueryLine(number, query.ToString(), null);
            }
            else
            {
                return new QueryLine(number, null, $"column {i + 2}: text after the closing quote of the first field");
            }
        }

        return new QueryLine(number, null, "column 1: the quoted field has no closing quote (fields spanning lines are not supported)");
    }
}
