using HierRetrieval.Data.Pairs;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace HierRetrieval.MLNet.Schema;

/// <summary>
/// The (query, document, distance) pairs of an ML.NET training view, with node names numbered in order of first
/// appearance (a row's query before its document).
/// </summary>
internal sealed class TrainingPairs
{
    private TrainingPairs(IReadOnlyList<string> names, IReadOnlyList<MatchedPair> pairs, IReadOnlyList<MatchedPair> heldOut)
    {
        Names = names;
        Pairs = pairs;
        HeldOut = heldOut;
    }

    /// <summary>Node names; node i = Names[i].</summary>
    public IReadOnlyList<string> Names { get; }

    /// <summary>The training pairs as node indexes.</summary>
    public IReadOnlyList<MatchedPair> Pairs { get; }

    /// <summary>The pairs marked held out: known matches that are not trained on.</summary>
    public IReadOnlyList<MatchedPair> HeldOut { get; }

    /// <summary>The columns Fit reads, by the options.</summary>
    public static IReadOnlyList<ColumnRequirement> Requirements(DualEncoderOptions options)
    {
        var columns = new List<ColumnRequirement>
        {
            ColumnRequirement.Text(options.QueryColumnName, "query"),
            ColumnRequirement.Text(options.DocumentColumnName, "document"),
        };
        if (options.FarLabelColumnName is not null)
        {
            columns.Add(ColumnRequirement.Boolean(options.FarLabelColumnName, "far-label"));
        }
        else if (options.DistanceColumnName is not null)
        {
            columns.Add(ColumnRequirement.Numeric(options.DistanceColumnName, "distance"));
        }
        else
        {
            throw new ArgumentException("set DistanceColumnName or FarLabelColumnName: training needs each pair's distance or near/far label", nameof(options));
        }

        if (options.HeldOutColumnName is not null)
        {
            columns.Add(ColumnRequirement.Boolean(options.HeldOutColumnName, "held-out"));
        }

        return columns;
    }

    /// <summary>Reads every row of <paramref name="data"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A column is missing or mistyped.</exception>
    /// <exception cref="InvalidDataException">A row has an empty name or a distance that is not a whole number >= 0 (0 only for a self pair).</exception>
    public static TrainingPairs Read(IDataView data, DualEncoderOptions options)
    {
        var columns = Requirements(options).Select(r => r.CheckIn(data.Schema)).ToArray();
        var names = new List<string>();
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        var pairs = new List<MatchedPair>();
        var heldOut = new List<MatchedPair>();
        using var cursor = data.GetRowCursor(columns);
        var query = cursor.GetGetter<ReadOnlyMemory<char>>(columns[0]);
        var document = cursor.GetGetter<ReadOnlyMemory<char>>(columns[1]);
        var distance = DistanceGetter(cursor, columns[2], options.Trainer.FarThreshold);
        var held = options.HeldOutColumnName is null ? null : cursor.GetGetter<bool>(columns[3]);
        bool isHeld = false;
        ReadOnlyMemory<char> text = default;
        long row = 0;
        while (cursor.MoveNext())
        {
            row++;
            query(ref text);
            int q = NodeOf(text, options.QueryColumnName);
            document(ref text);
            int d = NodeOf(text, options.DocumentColumnName);
            double value = distance();
            if (value != Math.Floor(value) || value < 0 || value > int.MaxValue || (value == 0 && q != d))
            {
                throw new InvalidDataException($"row {row}: distance {value} of ('{names[q]}', '{names[d]}') must be a whole number >= 1 (0 only when query and document are the same)");
            }

            held?.Invoke(ref isHeld);
            (isHeld ? heldOut : pairs).Add(new MatchedPair(q, d, (int)value));
        }

        return pairs.Count == 0 ? throw new InvalidDataException("the training data has no rows to train on") : new TrainingPairs(names, pairs, heldOut);

        int NodeOf(ReadOnlyMemory<char> value, string column)
        {
            if (value.Span.IsWhiteSpace())
            {
                throw new InvalidDataException($"row {row}: column '{column}' is empty");
            }

            string key = value.ToString();
            if (!index.TryGetValue(key, out int node))
            {
                node = names.Count;
                index.Add(key, node);
                names.Add(key);
            }

            return node;
        }
    }

    /// <summary>A getter of the pair's distance as a double: the numeric distance, or 1 / the far threshold for a near / far label.</summary>
    private static Func<double> DistanceGetter(DataViewRowCursor cursor, DataViewSchema.Column column, int farThreshold)
    {
        if (column.Type is BooleanDataViewType)
        {
            var far = cursor.GetGetter<bool>(column);
            bool value = false;
            return () =>
            {
                far(ref value);
                return value ? farThreshold : 1;
            };
        }

        return ColumnReaders.Number(cursor, column);
    }
}
