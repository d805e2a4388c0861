using System.Globalization;
using Parquet;
using Parquet.Schema;
using Sylvan.Data.Csv;

namespace HierRetrieval.Data.Esci;

/// <summary>One row of a table as text: its 1-based number (in a text file, the line it starts on), the values of the wanted columns (null = missing), or why it could not be read and the reason it is counted under.</summary>
internal readonly record struct RawRow(long Number, string?[] Values, string? Problem, string Reason = "malformed row");

/// <summary>Reads the wanted columns of a Parquet, CSV or TSV file as text rows, so both formats share one validation.</summary>
internal static class RawTables
{
    /// <summary>Parquet when the name ends in .parquet, TSV when it ends in .tsv, CSV otherwise.</summary>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">A wanted column is missing or the file is not readable as its format.</exception>
    public static IAsyncEnumerable<RawRow> Read(string path, IReadOnlyList<string> columns, CancellationToken cancellationToken)
    {
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"{path}: no such file", path);
        }

        return path.EndsWith(".parquet", StringComparison.OrdinalIgnoreCase)
            ? ReadParquet(path, columns, cancellationToken)
            : ReadText(path, columns, path.EndsWith(".tsv", StringComparison.OrdinalIgnoreCase) ? '\t' : ',', cancellationToken);
    }

    private static async IAsyncEnumerable<RawRow> ReadParquet(string path, IReadOnlyList<string> columns, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ParquetReader reader;
        try
        {
            reader = await ParquetReader.CreateAsync(path, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or InvalidDataException or ArgumentException or NotSupportedException)
        {
            throw new InvalidDataException($"{path}: not a readable Parquet file ({e.Message})", e);
        }

        await using (reader.ConfigureAwait(false))
        {
            var fields = columns.Select(name => reader.Schema.DataFields.FirstOrDefault(f => f.Name == name)
                ?? throw new InvalidDataException($"{path}: no column '{name}' (found: {string.Join(", ", reader.Schema.DataFields.Select(f => f.Name))})")).ToArray();
            long number = 0;
            for (int group = 0; group < reader.RowGroupCount; group++)
            {
                using var rowGroup = reader.OpenRowGroupReader(group);
                int rows = checked((int)rowGroup.RowCount);
                var values = new string?[fields.Length][];
                for (int c = 0; c < fields.Length; c++)
                {
                    values[c] = await ReadColumn(rowGroup, fields[c], rows, path, cancellationToken).ConfigureAwait(false);
                }

                for (int r = 0; r < rows; r++)
                {
                    yield return new RawRow(++number, [.. values.Select(column => column[r])], null);
                }
            }
        }
    }

    private static async Task<string?[]> ReadColumn(ParquetRowGroupReader rowGroup, DataField field, int rows, string path, CancellationToken cancellationToken)
    {
        var type = Nullable.GetUnderlyingType(field.ClrType) ?? field.ClrType;
        if (type == typeof(string) || type == typeof(ReadOnlyMemory<char>))
        {
            string?[] text = new string?[rows];
            await rowGroup.ReadAsync(field, text.AsMemory(), null, cancellationToken).ConfigureAwait(false);
            return text;
        }

        return type == typeof(long) ? await Numbers<long>(v => v.ToString(CultureInfo.InvariantCulture)).ConfigureAwait(false)
            : type == typeof(int) ? await Numbers<int>(v => v.ToString(CultureInfo.InvariantCulture)).ConfigureAwait(false)
            : type == typeof(bool) ? await Numbers<bool>(v => v ? "1" : "0").ConfigureAwait(false)
            : type == typeof(double) ? await Numbers<double>(v => v.ToString("R", CultureInfo.InvariantCulture)).ConfigureAwait(false)
            : throw new InvalidDataException($"{path}: column '{field.Name}' has type {type.Name}, which this reader does not handle");

        async Task<string?[]> Numbers<T>(Func<T, string> format)
            where T : struct
        {
            var values = new T?[rows];
            await rowGroup.ReadAsync(field, values.AsMemory(), null, cancellationToken).ConfigureAwait(false);
            return [.. values.Select(v => v is T value ? format(value) : null)];
        }
    }

    private static async IAsyncEnumerable<RawRow> ReadText(string path, IReadOnlyList<string> columns, char delimiter, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        CsvDataReader csv;
        try
        {
            csv = await CsvDataReader.CreateAsync(path, new CsvDataReaderOptions { Delimiter = delimiter, HasHeaders = true }, cancellationToken).ConfigureAwait(false);
        }
        catch (CsvMissingHeadersException e)
        {
            throw new InvalidDataException($"{path}: the file is empty: there is no header row", e);
        }
        catch (Exception e) when (e is CsvFormatException or CsvInvalidCharacterException)
        {
            throw new InvalidDataException($"{path}:1: the header row is malformed ({e.Message})", e);
        }

        using var reader = csv;
        int[] positions = [.. columns.Select(name => Enumerable.Range(0, csv.FieldCount).FirstOrDefault(i => csv.GetName(i) == name, -1))];
        if (positions.Contains(-1))
        {
            string missing = string.Join(", ", columns.Where((_, i) => positions[i] < 0));
            string found = string.Join(", ", Enumerable.Range(0, csv.FieldCount).Select(csv.GetName));
            throw new InvalidDataException($"{path}:1: no column {missing} in the header row (found: {(found.Length == 0 ? "nothing" : found)})");
        }

        // A record's number is the file line it starts on: the header is line 1, and a quoted field may span lines.
        long line = 2;
        while (await NextRow(csv, path, line, cancellationToken).ConfigureAwait(false))
        {
            var raw = csv.GetRawRecordSpan();
            long start = line;
            line += raw.Count('\n');
            yield return raw.Contains('\uFFFD')
                ? new RawRow(start, [], "bytes that are not valid UTF-8 text", "invalid UTF-8")
                : csv.RowFieldCount != csv.FieldCount
                ? new RawRow(start, [], $"{csv.RowFieldCount} fields where the header has {csv.FieldCount}")
                : new RawRow(start, [.. positions.Select(p => csv.GetString(p) is { Length: > 0 } value ? value : null)], null);
        }
    }

    /// <summary>Moves to the next record; broken quoting ends the read with its row, since what follows cannot be trusted.</summary>
    private static async Task<bool> NextRow(CsvDataReader csv, string path, long line, CancellationToken cancellationToken)
    {
        try
        {
            return await csv.ReadAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is CsvFormatException or CsvInvalidCharacterException)
        {
            throw new InvalidDataException($"{path}:{line}: malformed quoting ({e.Message})", e);
        }
    }
}
