using HierRetrieval.Evaluation;
using HierRetrieval.MLNet.Schema;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace HierRetrieval.MLNet.Evaluation;

/// <summary>
/// Computes <see cref="RetrievalMetrics"/> from a scored view: one row per relevant (query, document) pair, each with
/// its query's retrieved documents. A query's relevant set R(q) is the documents of its rows. The query itself is a
/// match of every query in a hierarchy: when it is not among R(q), it is removed from the retrieved list before
/// ranking (the filtered protocol of docs/evaluation-metrics.md).
/// </summary>
public static class RetrievalEvaluator
{
    private const int NoDistance = -1;

    /// <summary>Evaluates <paramref name="data"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A column is missing or mistyped.</exception>
    /// <exception cref="InvalidDataException">The view has no rows, or a row has a negative or fractional distance.</exception>
    public static RetrievalMetrics Evaluate(IDataView data, RetrievalEvaluatorOptions options)
    {
        var queries = ReadQueries(data, options);
        if (queries.Count == 0)
        {
            throw new InvalidDataException("the scored data has no rows to evaluate");
        }

        var totals = new Totals();
        foreach (var (query, state) in queries)
        {
            totals.Add(query, state, options.DistanceBucketCap);
        }

        return totals.ToMetrics(options.MinFromDistance);
    }

    private static Dictionary<string, QueryState> ReadQueries(IDataView data, RetrievalEvaluatorOptions options)
    {
        var query = ColumnRequirement.Text(options.QueryColumnName, "query").CheckIn(data.Schema);
        var document = ColumnRequirement.Text(options.DocumentColumnName, "document").CheckIn(data.Schema);
        var retrieved = ColumnRequirement.TextVector(options.RetrievedColumnName, "retrieved-documents").CheckIn(data.Schema);
        var distance = options.DistanceColumnName is null ? (DataViewSchema.Column?)null : ColumnRequirement.Numeric(options.DistanceColumnName, "distance").CheckIn(data.Schema);
        var evaluated = options.EvaluatedColumnName is null ? (DataViewSchema.Column?)null : ColumnRequirement.Boolean(options.EvaluatedColumnName, "evaluated-pair").CheckIn(data.Schema);
        using var cursor = data.GetRowCursor(new[] { query, document, retrieved, distance, evaluated }.OfType<DataViewSchema.Column>());
        var getQuery = cursor.GetGetter<ReadOnlyMemory<char>>(query);
        var getDocument = cursor.GetGetter<ReadOnlyMemory<char>>(document);
        var getRetrieved = cursor.GetGetter<VBuffer<ReadOnlyMemory<char>>>(retrieved);
        var getDistance = distance is null ? null : ColumnReaders.Number(cursor, distance.Value);
        var getEvaluated = evaluated is null ? null : cursor.GetGetter<bool>(evaluated.Value);
        bool counted = true;
        var queries = new Dictionary<string, QueryState>(StringComparer.Ordinal);
        ReadOnlyMemory<char> text = default;
        VBuffer<ReadOnlyMemory<char>> list = default;
        long row = 0;
        while (cursor.MoveNext())
        {
            row++;
            getQuery(ref text);
            string q = text.ToString();
            getDocument(ref text);
            string d = text.ToString();
            double value = getDistance?.Invoke() ?? NoDistance;
            if (getDistance is not null && (value < 0 || value != Math.Floor(value)))
            {
                throw new InvalidDataException($"row {row}: distance {value} must be a whole number >= 0");
            }

            if (!queries.TryGetValue(q, out var state))
            {
                getRetrieved(ref list);
                state = new QueryState([.. list.DenseValues().Select(v => v.ToString())]);
                queries.Add(q, state);
            }

            getEvaluated?.Invoke(ref counted);
            state.Relevant[d] = state.Relevant.TryGetValue(d, out int known) ? Math.Min(known, (int)value) : (int)value;
            if (counted)
            {
                state.Evaluated.Add(d);
            }
        }

        return queries;
    }

    private sealed record QueryState(string[] Retrieved)
    {
        /// <summary>Every match of the query given, with its distance: R(q).</summary>
        public Dictionary<string, int> Relevant { get; } = new(StringComparer.Ordinal);

        /// <summary>The matches to count.</summary>
        public HashSet<string> Evaluated { get; } = new(StringComparer.Ordinal);
    }

    /// <summary>Sums over queries, in the order they were read.</summary>
    private sealed class Totals
    {
        private readonly SortedDictionary<int, (long Pairs, long Hits)> _byDistance = [];
        private long _pairs, _hitsAtK, _hitsAtR;
        private double _averagePrecision, _ndcg;
        private int _k, _beyondK, _queries;

        public void Add(string query, QueryState state, int? cap)
        {
            if (state.Evaluated.Count == 0)
            {
                return;
            }

            // The full ranking decides recall@|R(q)|; the filtered one (other known matches removed) decides recall@k, MAP and NDCG.
            string[] ranking = state.Relevant.ContainsKey(query) ? state.Retrieved : [.. state.Retrieved.Where(d => d != query)];
            string[] filtered = [.. ranking.Where(d => state.Evaluated.Contains(d) || !state.Relevant.ContainsKey(d))];
            int relevant = state.Relevant.Count, evaluated = state.Evaluated.Count;
            _queries++;
            _k = Math.Max(_k, state.Retrieved.Length);
            _beyondK += relevant > ranking.Length ? 1 : 0;
            var positions = FirstPositions(ranking);
            var filteredPositions = FirstPositions(filtered);
            double precisionSum = 0, dcg = 0, ideal = 0;
            int found = 0;
            for (int i = 0; i < filtered.Length; i++)
            {
                if (state.Evaluated.Contains(filtered[i]) && filteredPositions[filtered[i]] == i)
                {
                    found++;
                    precisionSum += (double)found / (i + 1);
                    dcg += 1 / Math.Log2(i + 2);
                }

                ideal += i < evaluated ? 1 / Math.Log2(i + 2) : 0;
            }

            _averagePrecision += precisionSum / evaluated;
            _ndcg += ideal > 0 ? dcg / ideal : 0;
            foreach (string document in state.Evaluated)
            {
                int distance = state.Relevant[document];
                bool atK = filteredPositions.ContainsKey(document);
                bool atR = positions.TryGetValue(document, out int position) && position < relevant;
                if (distance != NoDistance)
                {
                    int bucket = cap is int c ? Math.Min(distance, c) : distance;
                    var (pairs, hits) = _byDistance.GetValueOrDefault(bucket);
                    _byDistance[bucket] = (pairs + 1, hits + (atR ? 1 : 0));
                }

                _pairs++;
                _hitsAtK += atK ? 1 : 0;
                _hitsAtR += atR ? 1 : 0;
            }
        }

        private static Dictionary<string, int> FirstPositions(string[] ranking)
        {
            var positions = new Dictionary<string, int>(ranking.Length, StringComparer.Ordinal);
            for (int i = 0; i < ranking.Length; i++)
            {
                positions.TryAdd(ranking[i], i);
            }

            return positions;
        }

        public RetrievalMetrics ToMetrics(int minFromDistance)
        {
            if (_queries == 0)
            {
                throw new InvalidDataException("no row of the scored data is marked for evaluation");
            }

            int queries = _queries;
            var recall = _byDistance.ToDictionary(e => e.Key, e => (double)e.Value.Hits / e.Value.Pairs);
            double overall = (double)_hitsAtR / _pairs;
            var min = MinRecall.Of(recall, minFromDistance) ?? (Distance: -1, Recall: overall);
            return new RetrievalMetrics
            {
                Queries = queries,
                Pairs = _pairs,
                K = _k,
                RecallAtK = (double)_hitsAtK / _pairs,
                Overall = overall,
                RecallByDistance = recall,
                PairsByDistance = _byDistance.ToDictionary(e => e.Key, e => e.Value.Pairs),
                Min = min.Recall,
                MinDistance = min.Distance,
                MeanAveragePrecision = _averagePrecision / queries,
                Ndcg = _ndcg / queries,
                QueriesBeyondK = _beyondK,
            };
        }
    }
}
