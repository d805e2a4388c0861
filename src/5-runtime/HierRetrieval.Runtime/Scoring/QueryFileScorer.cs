using System.Diagnostics;
using System.Globalization;

namespace HierRetrieval.Runtime.Scoring;

/// <summary>What to do with a query line that cannot be scored (malformed, empty, or unknown to the model).</summary>
public enum BadRowPolicy
{
    /// <summary>Stop with an error naming the line.</summary>
    Fail,

    /// <summary>Skip the line, count it and report it.</summary>
    Skip,
}

/// <summary>A line that was skipped, and why.</summary>
public readonly record struct SkippedLine(long Line, string Reason);

/// <summary>What a scoring run did.</summary>
public sealed record ScoringSummary(long Scored, long Skipped, IReadOnlyList<SkippedLine> FirstSkipped, TimeSpan Elapsed)
{
    /// <summary>Scored queries per second of wall time.</summary>
    public double QueriesPerSecond => Scored / Math.Max(Elapsed.TotalSeconds, 1e-9);
}

/// <summary>An unscorable line under <see cref="BadRowPolicy.Fail"/>.</summary>
public sealed class BadQueryLineException(long line, string reason) : FormatException($"line {line}: {reason}")
{
    /// <summary>The 1-based line number.</summary>
    public long Line { get; } = line;

    /// <summary>Why the line cannot be scored.</summary>
    public string Reason { get; } = reason;
}

/// <summary>
/// Scores query lines in batches with a model (<see cref="BatchScorer"/> for lookup tables, <see cref="TextQuerySearcher"/>
/// for text models) and writes <c>query, rank, document, score</c> rows
/// (tab-separated, with a header).
/// </summary>
public static class QueryFileScorer
{
    /// <summary>The header line of the output.</summary>
    public const string Header = "query\trank\tdocument\tscore";

    private const int KeptSkips = 20;

    /// <summary>Scores <paramref name="lines"/> into <paramref name="output"/>.</summary>
    /// <param name="scorer">The model's searcher.</param>
    /// <param name="lines">Query lines, e.g. from <see cref="QueryFile.Read"/>.</param>
    /// <param name="k">Documents per query.</param>
    /// <param name="output">Where the rows go.</param>
    /// <param name="badRows">Skip or fail on a bad line (malformed, or a query the model does not know).</param>
    /// <param name="batchSize">Queries per tower call and index search.</param>
    /// <param name="progress">Receives the number of lines handled after each batch.</param>
    /// <param name="cancellationToken">Stops between batches.</param>
    /// <exception cref="BadQueryLineException">A bad line under <see cref="BadRowPolicy.Fail"/>.</exception>
    public static ScoringSummary Score(
        IQuerySearcher scorer, IEnumerable<QueryLine> lines, int k, TextWriter output, BadRowPolicy badRows, int batchSize = 4096, IProgress<long>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(k, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(k, scorer.Documents);
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        var clock = Stopwatch.StartNew();
        var skipped = new List<SkippedLine>();
        long skips = 0, scored = 0, handled = 0;
        var queries = new List<string>(batchSize);
        output.WriteLine(Header);
        foreach (var line in lines)
        {
            handled++;
            string? problem = line.Problem ?? scorer.Refusal(line.Query!);

            if (problem is not null)
            {
                if (badRows == BadRowPolicy.Fail)
                {
                    throw new BadQueryLineException(line.Line, problem);
                }

                skips++;
                if (skipped.Count < KeptSkips)
                {
                    skipped.Add(new SkippedLine(line.Line, problem));
                }

                continue;
            }

            queries.Add(line.Query!);
            if (queries.Count == batchSize)
            {
                scored += Flush();
                progress?.Report(handled);
            }
        }

        scored += Flush();
        progress?.Report(handled);
        return new ScoringSummary(scored, skips, skipped, clock.Elapsed);

        int Flush()
        {
            if (queries.Count == 0)
            {
                return 0;
            }

            cancellationToken.ThrowIfCancellationRequested();
            var result = scorer.Search(queries, k, cancellationToken);
            for (int q = 0; q < queries.Count; q++)
            {
                var documents = result.IdsOf(q);
                var scores = result.ScoresOf(q);
                for (int rank = 0; rank < documents.Length; rank++)
                {
                    output.Write(queries[q]);
                    output.Write('\t');
                    output.Write((rank + 1).ToString(CultureInfo.InvariantCulture));
                    output.Write('\t');
                    output.Write(scorer.DocumentName(documents[rank]));
                    output.Write('\t');
                    output.WriteLine(scores[rank].ToString("R", CultureInfo.InvariantCulture));
                }
            }

            int count = queries.Count;
            queries.Clear();
            return count;
        }
    }
}
