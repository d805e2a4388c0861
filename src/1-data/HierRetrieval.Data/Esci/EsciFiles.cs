using System.Globalization;
using HierRetrieval.Data.IO;

namespace HierRetrieval.Data.Esci;

/// <summary>The null of any nullable result type: lets a rejection return "no value" for a string, a number or a label.</summary>
internal readonly struct Nothing
{
    public static implicit operator string?(Nothing _) => null;

    public static implicit operator long?(Nothing _) => null;

    public static implicit operator bool?(Nothing _) => null;

    public static implicit operator EsciLabel?(Nothing _) => null;
}

/// <summary>A table read from a file, and what was rejected on the way.</summary>
public sealed record EsciTable<T>(IReadOnlyList<T> Rows, EsciReadReport Report);

/// <summary>
/// Reads the Shopping Queries Dataset's examples and products tables from Parquet (as released) or from CSV/TSV
/// exports with a header row. Rows with a malformed line, a missing required field, a bad number or an unknown label
/// are counted by reason and reported with their row, never silently dropped.
/// </summary>
public static class EsciFiles
{
    /// <summary>Reads an examples table.</summary>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">A column is missing, or the file is not readable as its format.</exception>
    public static async Task<EsciTable<EsciExample>> ReadExamplesAsync(string path, CancellationToken cancellationToken = default)
    {
        var report = new EsciReadReport();
        var rows = new List<EsciExample>();
        await foreach (var raw in RawTables.Read(path, EsciColumns.Examples, cancellationToken).ConfigureAwait(false))
        {
            report.Count(EsciReadReport.ReadKey);
            var row = new RowParser(path, raw, EsciColumns.Examples, report);
            if (row.Ok
                && row.Integer(0) is long exampleId && row.Text(1) is { } query && row.Integer(2) is long queryId && row.Text(3) is { } productId
                && row.Locale(4) is { } locale && row.Label(5) is EsciLabel label && row.Flag(6) is bool small && row.Flag(7) is bool large && row.Split(8) is { } split)
            {
                rows.Add(new EsciExample(exampleId, query, queryId, productId, locale, label, small, large, split));
            }
        }

        return new EsciTable<EsciExample>(rows, report);
    }

    /// <summary>Reads a products table.</summary>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">A column is missing, or the file is not readable as its format.</exception>
    public static async Task<EsciTable<EsciProduct>> ReadProductsAsync(string path, CancellationToken cancellationToken = default)
    {
        var report = new EsciReadReport();
        var rows = new List<EsciProduct>();
        await foreach (var raw in RawTables.Read(path, EsciColumns.Products, cancellationToken).ConfigureAwait(false))
        {
            report.Count(EsciReadReport.ReadKey);
            var row = new RowParser(path, raw, EsciColumns.Products, report);
            if (row.Ok && row.Text(0) is { } productId && row.Locale(6) is { } locale)
            {
                rows.Add(new EsciProduct(productId, locale, row.Optional(1), row.Optional(2), row.Optional(3), row.Optional(4), row.Optional(5)));
            }
        }

        return new EsciTable<EsciProduct>(rows, report);
    }

    /// <summary>Checks and converts the fields of one raw row; the first bad field rejects the row.</summary>
    private sealed class RowParser
    {
        private readonly string _source;
        private readonly RawRow _raw;
        private readonly IReadOnlyList<string> _columns;
        private readonly EsciReadReport _report;

        public RowParser(string source, RawRow raw, IReadOnlyList<string> columns, EsciReadReport report)
        {
            (_source, _raw, _columns, _report) = (source, raw, columns, report);
            if (raw.Problem is not null)
            {
                Reject(raw.Reason, raw.Problem);
            }
        }

        public bool Ok { get; private set; } = true;

        public string? Optional(int column) => _raw.Values[column];

        public string? Text(int column)
        {
            string? value = _raw.Values[column];
            return string.IsNullOrWhiteSpace(value) ? Reject("missing field", $"column '{_columns[column]}' is empty") : value;
        }

        public long? Integer(int column)
        {
            string? text = Text(column);
            if (text is null)
            {
                return null;
            }

            return long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out long value)
                ? value
                : Reject("bad number", $"column '{_columns[column]}': '{TextExcerpt.Of(text)}' is not an integer");
        }

        public bool? Flag(int column) => Text(column) switch
        {
            null => null,
            "1" or "true" or "True" => true,
            "0" or "false" or "False" => false,
            var text => Reject("bad flag", $"column '{_columns[column]}': '{TextExcerpt.Of(text)}' is not 0 or 1"),
        };

        /// <summary>A locale of the release: us, es or jp.</summary>
        public string? Locale(int column) => OneOf(column, "locale", EsciColumns.Locales);

        /// <summary>A split of the release: train or test.</summary>
        public string? Split(int column) => OneOf(column, "split", EsciColumns.Splits);

        public EsciLabel? Label(int column)
        {
            string? text = Text(column);
            if (text is null)
            {
                return null;
            }

            return EsciLabels.TryParse(text, out var label)
                ? label
                : Reject("unknown label", $"column '{_columns[column]}': unknown label '{TextExcerpt.Of(text)}' (expected E, S, C or I)");
        }

        private string? OneOf(int column, string what, IReadOnlyList<string> known)
        {
            string? text = Text(column);
            return text is null || known.Contains(text)
                ? text
                : Reject($"unknown {what}", $"column '{_columns[column]}': unknown {what} '{TextExcerpt.Of(text)}' (expected {string.Join(", ", known)})");
        }

        /// <summary>Rejects the row (once: the first problem is the one reported) and returns null.</summary>
        private Nothing Reject(string reason, string detail)
        {
            if (Ok)
            {
                Ok = false;
                _report.Problem(reason, _source, _raw.Number, detail);
            }

            return default;
        }
    }
}
