using System.Globalization;
using HierRetrieval.Data.IO;
using Parquet;
using Parquet.Schema;

namespace HierRetrieval.Data.Esci;

/// <summary>Writes examples and products tables in the release's schema: Parquet (.parquet), TSV (.tsv) or CSV (otherwise), atomically.</summary>
public static class EsciWriter
{
    /// <summary>Writes an examples table.</summary>
    public static Task WriteExamplesAsync(string path, IReadOnlyList<EsciExample> rows, CancellationToken cancellationToken = default) =>
        WriteAsync(path, EsciColumns.Examples, rows.Count, [
            Column.Of(rows.Select(r => r.ExampleId)),
            Column.Of(rows.Select(r => r.Query)),
            Column.Of(rows.Select(r => r.QueryId)),
            Column.Of(rows.Select(r => r.ProductId)),
            Column.Of(rows.Select(r => r.Locale)),
            Column.Of(rows.Select(r => EsciLabels.Code(r.Label))),
            Column.Of(rows.Select(r => r.SmallVersion ? 1L : 0L)),
            Column.Of(rows.Select(r => r.LargeVersion ? 1L : 0L)),
            Column.Of(rows.Select(r => r.Split)),
        ], cancellationToken);

    /// <summary>Writes a products table.</summary>
    public static Task WriteProductsAsync(string path, IReadOnlyList<EsciProduct> rows, CancellationToken cancellationToken = default) =>
        WriteAsync(path, EsciColumns.Products, rows.Count, [
            Column.Of(rows.Select(r => r.ProductId)),
            Column.Of(rows.Select(r => r.Title)),
            Column.Of(rows.Select(r => r.Description)),
            Column.Of(rows.Select(r => r.BulletPoint)),
            Column.Of(rows.Select(r => r.Brand)),
            Column.Of(rows.Select(r => r.Color)),
            Column.Of(rows.Select(r => r.Locale)),
        ], cancellationToken);

    /// <summary>The columns of a ranking table.</summary>
    public static readonly IReadOnlyList<string> RankingColumns = ["query_id", "rank", "product_id", "score"];

    /// <summary>Writes retrieved products, one row per (query, rank): Parquet (.parquet), TSV (.tsv, the default for other names) or CSV (.csv).</summary>
    public static Task WriteRankingAsync(string path, IReadOnlyList<(long QueryId, int Rank, string ProductId, float Score)> rows, CancellationToken cancellationToken = default) =>
        WriteAsync(path, RankingColumns, rows.Count, [
            Column.Of(rows.Select(r => r.QueryId)),
            Column.Of(rows.Select(r => (long)r.Rank)),
            Column.Of(rows.Select(r => r.ProductId)),
            Column.Of(rows.Select(r => r.Score)),
        ], cancellationToken, defaultDelimiter: '\t');

    private static async Task WriteAsync(string path, IReadOnlyList<string> names, int rows, Column[] columns, CancellationToken cancellationToken, char defaultDelimiter = ',')
    {
        if (!path.EndsWith(".parquet", StringComparison.OrdinalIgnoreCase))
        {
            char delimiter = path.EndsWith(".tsv", StringComparison.OrdinalIgnoreCase) ? '\t' : path.EndsWith(".csv", StringComparison.OrdinalIgnoreCase) ? ',' : defaultDelimiter;
            AtomicFile.WriteText(path, writer =>
            {
                writer.WriteLine(string.Join(delimiter, names));
                for (int r = 0; r < rows; r++)
                {
                    writer.WriteLine(string.Join(delimiter, columns.Select(c => Quote(c.Text(r), delimiter))));
                }
            });
            return;
        }

        var fields = names.Select((name, i) => columns[i].Field(name)).ToArray();
        using var buffer = new MemoryStream();
        var writer = await ParquetWriter.CreateAsync(new ParquetSchema(fields), buffer, cancellationToken: cancellationToken).ConfigureAwait(false);
        await using (writer.ConfigureAwait(false))
        {
            using var group = writer.CreateRowGroup();
            for (int c = 0; c < columns.Length; c++)
            {
                await columns[c].WriteAsync(group, fields[c], cancellationToken).ConfigureAwait(false);
            }
        }

        AtomicFile.Write(path, stream => buffer.WriteTo(stream));
    }

    /// <summary>RFC 4180 quoting: a field holding the delimiter, a quote or a line break is quoted, quotes doubled.</summary>
    private static string Quote(string? value, char delimiter) =>
        value is null ? "" : value.IndexOfAny([delimiter, '"', '\n', '\r']) < 0 ? value : $"\"{value.Replace("\"", "\"\"", StringComparison.Ordinal)}\"";

    /// <summary>One column's values: int64, float or nullable text.</summary>
    private sealed class Column
    {
        private long[]? _numbers;
        private float[]? _reals;
        private string?[]? _texts;

        public static Column Of(IEnumerable<long> values) => new() { _numbers = [.. values] };

        public static Column Of(IEnumerable<float> values) => new() { _reals = [.. values] };

        public static Column Of(IEnumerable<string?> values) => new() { _texts = [.. values] };

        public string? Text(int row) =>
            _numbers is not null ? _numbers[row].ToString(CultureInfo.InvariantCulture)
            : _reals is not null ? _reals[row].ToString("R", CultureInfo.InvariantCulture)
            : _texts![row];

        public DataField Field(string name) =>
            _numbers is not null ? new DataField<long>(name, nullable: false)
            : _reals is not null ? new DataField<float>(name, nullable: false)
            : new DataField<string>(name, nullable: true);

        public Task WriteAsync(ParquetRowGroupWriter group, DataField field, CancellationToken cancellationToken) =>
            _numbers is not null ? group.WriteAsync(field, new ReadOnlyMemory<long>(_numbers), null, null, cancellationToken)
            : _reals is not null ? group.WriteAsync(field, new ReadOnlyMemory<float>(_reals), null, null, cancellationToken)
            : group.WriteAsync(field, _texts!, null);
    }
}
