using System.Buffers;
using System.Runtime.Intrinsics;
using HierRetrieval.Data.Hierarchies;
using HierRetrieval.Data.Pairs;
using HierRetrieval.Retrieval;
using HierRetrieval.Retrieval.Exact;

namespace HierRetrieval.Evaluation;

/// <summary>
/// Evaluates query and document embeddings of a hierarchy's nodes on a set of matched pairs: every query of the
/// set is scored against every document exactly, and the metrics of <see cref="HierarchyRetrievalMetrics"/> are
/// computed from the full ranking. Results are deterministic: per-query results are summed in query order.
/// </summary>
public sealed class HierarchyEvaluator
{
    private readonly HierarchyEvaluatorOptions _options;

    /// <summary>Creates an evaluator.</summary>
    public HierarchyEvaluator(HierarchyEvaluatorOptions? options = null)
    {
        _options = options ?? new HierarchyEvaluatorOptions();
        ArgumentOutOfRangeException.ThrowIfLessThan(_options.K, 1, nameof(options));
        ArgumentOutOfRangeException.ThrowIfLessThan(_options.Threads, 1, nameof(options));
        ArgumentOutOfRangeException.ThrowIfLessThan(_options.QueryBatchSize, 1, nameof(options));
        ArgumentOutOfRangeException.ThrowIfNegative(_options.MinFromDistance, nameof(options));
    }

    /// <summary>Evaluates <paramref name="embeddings"/> (row i = node i) on <paramref name="pairs"/>.</summary>
    /// <param name="closure">The closure that defines every query's match set.</param>
    /// <param name="embeddings">Query and document embeddings of all nodes.</param>
    /// <param name="pairs">The pairs to evaluate: all pairs, a split, or the pairs of some queries.</param>
    /// <param name="progress">Receives (queries done, queries total).</param>
    /// <param name="cancellationToken">Stops the evaluation between batches.</param>
    /// <exception cref="ArgumentException">The embeddings do not have one row per node, or the pairs are empty.</exception>
    public HierarchyRetrievalMetrics Evaluate(
        TransitiveClosure closure,
        NodeEmbeddings embeddings,
        PairSet pairs,
        IProgress<(long Done, long Total)>? progress = null,
        CancellationToken cancellationToken = default)
    {
        int n = closure.NodeCount;
        if (embeddings.Documents.Rows != n)
        {
            throw new ArgumentException($"embeddings have {embeddings.Documents.Rows} rows but the hierarchy has {n} nodes", nameof(embeddings));
        }

        if (pairs.Count == 0)
        {
            throw new ArgumentException("no pairs to evaluate", nameof(pairs));
        }

        var groups = QueryGroups(pairs);
        using var index = (_options.ScoreRows ?? ExactIndexFactory.WithThreads(_options.Threads)).CreateScoreMatrix(embeddings.Documents);
        var results = new QueryResult[groups.Length];
        int batch = _options.QueryBatchSize;
        // Rented: validation evaluates every few hundred steps, and a fresh batch of scores each time (tens of MB on
        // large hierarchies) would pile up on the large-object heap between full collections.
        float[] scores = ArrayPool<float>.Shared.Rent(checked(Math.Min(batch, groups.Length) * n));
        try
        {
            using var scratch = new ThreadLocal<RankScratch>(() => new RankScratch(n));
            for (int start = 0; start < groups.Length; start += batch)
            {
                cancellationToken.ThrowIfCancellationRequested();
                int count = Math.Min(batch, groups.Length - start);
                int[] queryNodes = [.. groups.Skip(start).Take(count).Select(g => g.Query)];
                index.ComputeScores(embeddings.Queries.SelectRows(queryNodes).Values, scores, cancellationToken);
                var parallel = new ParallelOptions { MaxDegreeOfParallelism = _options.Threads, CancellationToken = cancellationToken };
                Parallel.For(0, count, parallel, i =>
                    results[start + i] = RankQuery(closure, groups[start + i], pairs, scores.AsSpan(i * n, n), scratch.Value!, start + i + 1));
                progress?.Report((start + count, groups.Length));
            }
        }
        finally
        {
            ArrayPool<float>.Shared.Return(scores);
        }

        return Summarize(results, pairs);
    }

    private static QueryGroup[] QueryGroups(PairSet pairs)
    {
        var groups = new List<QueryGroup>();
        var span = pairs.Pairs;
        for (int i = 0; i < span.Length;)
        {
            int j = i;
            while (j < span.Length && span[j].Query == span[i].Query)
            {
                j++;
            }

            groups.Add(new QueryGroup(span[i].Query, i, j - i));
            i = j;
        }

        return [.. groups];
    }

    /// <summary>
    /// Ranks one query's evaluated documents R against all others in one pass: documents scoring at least the lowest
    /// score in R are located among R (sorted best first) by binary search, counted as other matches or non-matches.
    /// <paramref name="scratch"/> is the thread's: after marking, stamp[d] == mark means d is another match of q and
    /// stamp[d] == -mark means d is evaluated (marks are unique per query, so nothing is cleared).
    /// </summary>
    private QueryResult RankQuery(TransitiveClosure closure, QueryGroup group, PairSet pairs, ReadOnlySpan<float> scores, RankScratch scratch, int mark)
    {
        int[] stamp = scratch.Stamps;
        int q = group.Query;
        stamp[q] = mark;
        foreach (int a in closure.AncestorsOf(q))
        {
            stamp[a] = mark;
        }

        var groupPairs = pairs.Pairs.Slice(group.Start, group.Count);
        var evaluated = new (float Score, int Document, int Distance)[groupPairs.Length];
        for (int i = 0; i < evaluated.Length; i++)
        {
            evaluated[i] = (scores[groupPairs[i].Document], groupPairs[i].Document, groupPairs[i].Distance);
        }

        Array.Sort(evaluated, static (x, y) => x.Score != y.Score ? y.Score.CompareTo(x.Score) : x.Document.CompareTo(y.Document));
        int r = evaluated.Length;
        foreach (var pair in evaluated)
        {
            stamp[pair.Document] = -mark;
        }
        int[] otherMatchesAbove = new int[r + 1];
        int[] nonMatchesAbove = new int[r + 1];
        float floor = evaluated[^1].Score;
        foreach (int doc in IndexesAtLeast(scores, floor, scratch.Candidates))
        {
            if (stamp[doc] == -mark)
            {
                continue;
            }

            // First evaluated position that doc ranks above; it then ranks above every later one too.
            int lo = 0, hi = r;
            while (lo < hi)
            {
                int mid = (lo + hi) / 2;
                if (Above(scores, doc, evaluated[mid].Document))
                {
                    hi = mid;
                }
                else
                {
                    lo = mid + 1;
                }
            }

            (stamp[doc] == mark ? otherMatchesAbove : nonMatchesAbove)[lo]++;
        }

        int matchSetSize = closure.MatchSetSize(q);
        var result = new QueryResult(new (int Distance, bool Retrieved)[r], 0, 0, 0);
        int others = 0, non = 0;
        double precisionSum = 0, rankSum = 0;
        int hitsAtK = 0;
        for (int i = 0; i < r; i++)
        {
            others += otherMatchesAbove[i];
            non += nonMatchesAbove[i];
            int filteredPosition = i + 1 + non;
            result.Pairs[i] = (Bucket(evaluated[i].Distance), i + 1 + others + non <= matchSetSize);
            hitsAtK += filteredPosition <= _options.K ? 1 : 0;
            precisionSum += (i + 1) / (double)filteredPosition;
            rankSum += 1 + non;
        }

        return result with { HitsAtK = hitsAtK, AveragePrecision = precisionSum / r, RankSum = rankSum };
    }

    /// <summary>Whether document a ranks above document b: a higher score, or an equal score and a lower id.</summary>
    private static bool Above(ReadOnlySpan<float> scores, int a, int b) => scores[a] > scores[b] || (scores[a] == scores[b] && a < b);

    /// <summary>
    /// Indexes of all scores >= <paramref name="floor"/>, found with SIMD comparisons and written to the front of
    /// <paramref name="found"/> (one slot per score, so a weak model that lets most documents through allocates nothing).
    /// </summary>
    private static ReadOnlySpan<int> IndexesAtLeast(ReadOnlySpan<float> scores, float floor, int[] found)
    {
        int count = 0;
        int i = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            var threshold = Vector256.Create(floor);
            for (; i + Vector256<float>.Count <= scores.Length; i += Vector256<float>.Count)
            {
                uint bits = Vector256.GreaterThanOrEqual(Vector256.Create(scores.Slice(i, Vector256<float>.Count)), threshold).ExtractMostSignificantBits();
                while (bits != 0)
                {
                    found[count++] = i + System.Numerics.BitOperations.TrailingZeroCount(bits);
                    bits &= bits - 1;
                }
            }
        }

        for (; i < scores.Length; i++)
        {
            if (scores[i] >= floor)
            {
                found[count++] = i;
            }
        }

        return found.AsSpan(0, count);
    }

    private int Bucket(int distance) => _options.DistanceBucketCap is int cap ? Math.Min(distance, cap) : distance;

    private HierarchyRetrievalMetrics Summarize(QueryResult[] results, PairSet pairs)
    {
        var hits = new SortedDictionary<int, long>();
        var totals = new SortedDictionary<int, long>();
        long retrieved = 0, hitsAtK = 0;
        double apSum = 0, rankSum = 0;
        foreach (var result in results)
        {
            foreach (var (bucket, isRetrieved) in result.Pairs)
            {
                totals[bucket] = totals.GetValueOrDefault(bucket) + 1;
                hits[bucket] = hits.GetValueOrDefault(bucket) + (isRetrieved ? 1 : 0);
                retrieved += isRetrieved ? 1 : 0;
            }

            hitsAtK += result.HitsAtK;
            apSum += result.AveragePrecision;
            rankSum += result.RankSum;
        }

        var byDistance = new SortedDictionary<int, double>();
        foreach (var (bucket, total) in totals)
        {
            byDistance[bucket] = (double)hits[bucket] / total;
        }

        long pairCount = pairs.Count;
        return new HierarchyRetrievalMetrics(
            results.Length, pairCount, byDistance, totals, (double)retrieved / pairCount, _options.K,
            (double)hitsAtK / pairCount, apSum / results.Length, rankSum / pairCount, _options.MinFromDistance);
    }

    private readonly record struct QueryGroup(int Query, int Start, int Count);

    /// <summary>A thread's working arrays, one slot per document: match stamps and the documents above a query's floor.</summary>
    private sealed class RankScratch(int documents)
    {
        public int[] Stamps { get; } = new int[documents];

        public int[] Candidates { get; } = new int[documents];
    }

    private readonly record struct QueryResult((int Bucket, bool Retrieved)[] Pairs, int HitsAtK, double AveragePrecision, double RankSum);
}
