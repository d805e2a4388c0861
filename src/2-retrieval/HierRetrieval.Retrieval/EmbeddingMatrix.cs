using System.Numerics.Tensors;

namespace HierRetrieval.Retrieval;

/// <summary>A dense row-major float32 matrix: one embedding per row.</summary>
public sealed class EmbeddingMatrix
{
    private readonly float[] _values;

    /// <summary>Wraps <paramref name="values"/> (not copied) as <paramref name="rows"/> x <paramref name="dimension"/>.</summary>
    /// <exception cref="ArgumentException">The length is not rows x dimension.</exception>
    public EmbeddingMatrix(int rows, int dimension, float[] values)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(rows);
        ArgumentOutOfRangeException.ThrowIfLessThan(dimension, 1);
        if (values.Length != (long)rows * dimension)
        {
            throw new ArgumentException($"expected {rows} x {dimension} = {(long)rows * dimension} values, got {values.Length}", nameof(values));
        }

        Rows = rows;
        Dimension = dimension;
        _values = values;
    }

    /// <summary>A zero matrix.</summary>
    public EmbeddingMatrix(int rows, int dimension)
        : this(rows, dimension, new float[(long)rows * dimension])
    {
    }

    /// <summary>Number of rows (embeddings).</summary>
    public int Rows { get; }

    /// <summary>Length of each embedding.</summary>
    public int Dimension { get; }

    /// <summary>All values, row after row.</summary>
    public Span<float> Values => _values;

    /// <summary>Row <paramref name="row"/>.</summary>
    public Span<float> Row(int row) => _values.AsSpan(row * Dimension, Dimension);

    /// <summary>Scales every non-zero row to unit L2 norm (in place) and returns this matrix.</summary>
    public EmbeddingMatrix NormalizeRows()
    {
        for (int r = 0; r < Rows; r++)
        {
            var row = Row(r);
            float norm = TensorPrimitives.Norm(row);
            if (norm > 0)
            {
                TensorPrimitives.Divide(row, norm, row);
            }
        }

        return this;
    }

    /// <summary>A new matrix holding the given rows, in that order.</summary>
    public EmbeddingMatrix SelectRows(ReadOnlySpan<int> rows)
    {
        var selected = new EmbeddingMatrix(rows.Length, Dimension);
        for (int i = 0; i < rows.Length; i++)
        {
            Row(rows[i]).CopyTo(selected.Row(i));
        }

        return selected;
    }
}
