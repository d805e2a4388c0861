using Microsoft.ML;

namespace HierRetrieval.MLNet.Schema;

/// <summary>Getters that read a column of any numeric type as a double.</summary>
internal static class ColumnReaders
{
    /// <summary>A getter of the current row's value of the numeric column <paramref name="column"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The column is not numeric.</exception>
    public static Func<double> Number(DataViewRow cursor, DataViewSchema.Column column) => column.Type.RawType switch
    {
        var t when t == typeof(float) => Read<float>(cursor, column, v => v),
        var t when t == typeof(double) => Read<double>(cursor, column, v => v),
        var t when t == typeof(int) => Read<int>(cursor, column, v => v),
        var t when t == typeof(long) => Read<long>(cursor, column, v => v),
        var t when t == typeof(uint) => Read<uint>(cursor, column, v => v),
        var t when t == typeof(ulong) => Read<ulong>(cursor, column, v => v),
        var t when t == typeof(short) => Read<short>(cursor, column, v => v),
        var t when t == typeof(ushort) => Read<ushort>(cursor, column, v => v),
        var t when t == typeof(sbyte) => Read<sbyte>(cursor, column, v => v),
        var t when t == typeof(byte) => Read<byte>(cursor, column, v => v),
        _ => throw new ArgumentOutOfRangeException(nameof(column), $"column '{column.Name}' is {column.Type}, not numeric"),
    };

    private static Func<double> Read<T>(DataViewRow cursor, DataViewSchema.Column column, Func<T, double> convert)
    {
        var getter = cursor.GetGetter<T>(column);
        T value = default!;
        return () =>
        {
            getter(ref value);
            return convert(value);
        };
    }
}
