using Microsoft.ML;
using Microsoft.ML.Data;

namespace HierRetrieval.MLNet.Schema;

/// <summary>
/// A column an estimator or evaluator needs: its name, its role (for messages) and the scalar types it accepts.
/// Checked against <see cref="SchemaShape"/> (GetOutputSchema) and <see cref="DataViewSchema"/> (Fit, Transform,
/// Evaluate), so a wrong input fails early with the column, the expected type and the type found.
/// </summary>
internal sealed record ColumnRequirement(string Name, string Role, string Expected, Func<DataViewType, bool> Accepts)
{
    /// <summary>A scalar text column.</summary>
    public static ColumnRequirement Text(string name, string role) => new(name, role, "a scalar String (text) column", t => t is TextDataViewType);

    /// <summary>A scalar numeric column.</summary>
    public static ColumnRequirement Numeric(string name, string role) => new(name, role, "a scalar numeric column", t => t is NumberDataViewType);

    /// <summary>A scalar Boolean column.</summary>
    public static ColumnRequirement Boolean(string name, string role) => new(name, role, "a scalar Boolean column", t => t is BooleanDataViewType);

    /// <summary>A vector of text (variable or known size).</summary>
    public static ColumnRequirement TextVector(string name, string role) => new(name, role, "a vector of String (text)", t => t is VectorDataViewType { ItemType: TextDataViewType });

    /// <summary>Checks the column in a schema shape.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The column is missing or has another type.</exception>
    public void CheckIn(SchemaShape shape)
    {
        var column = shape.LastOrDefault(c => c.Name == Name);
        if (column.Name is null)
        {
            throw Missing();
        }

        bool scalar = column.Kind == SchemaShape.Column.VectorKind.Scalar;
        var type = scalar ? column.ItemType : new VectorDataViewType((PrimitiveDataViewType)column.ItemType);
        if (column.IsKey || !Accepts(type))
        {
            throw Mismatch(column.IsKey ? $"a key of {column.ItemType}" : scalar ? $"{column.ItemType}" : $"a vector of {column.ItemType}");
        }
    }

    /// <summary>Checks the column in a schema and returns it.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The column is missing or has another type.</exception>
    public DataViewSchema.Column CheckIn(DataViewSchema schema)
    {
        var column = schema.GetColumnOrNull(Name) ?? throw Missing();
        return Accepts(column.Type) ? column : throw Mismatch(column.Type.ToString() ?? column.Type.RawType.Name);
    }

    private ArgumentOutOfRangeException Missing() => new("inputSchema", $"the {Role} column '{Name}' was not found; expected {Expected}");

    private ArgumentOutOfRangeException Mismatch(string found) => new("inputSchema", $"the {Role} column '{Name}' must be {Expected}, found {found}");
}
