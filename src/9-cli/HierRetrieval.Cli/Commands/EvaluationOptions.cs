using System.CommandLine;
using HierRetrieval.Data.Hierarchies;
using HierRetrieval.Data.Pairs;
using HierRetrieval.Evaluation;

namespace HierRetrieval.Cli.Commands;

/// <summary>The evaluation options shared by commands that print a recall-by-distance report.</summary>
/// <param name="defaultBucketCap">The default of --bucket-cap (none: every distance is its own bucket).</param>
internal sealed class EvaluationOptions(int? defaultBucketCap = null)
{
    public Option<int> K { get; } = CommonOptions.AtLeast("--k", 1, "The k of recall@k.", defaultValue: 10);

    public Option<int?> Queries { get; } = CommonOptions.Require(
        new Option<int?>("--queries") { Description = "Evaluate this many queries drawn at random (with --seed) instead of all." },
        v => v is null or >= 1,
        v => $"--queries must be at least 1, got {v}");

    public Option<int?> BucketCap { get; } = CommonOptions.Require(
        new Option<int?>("--bucket-cap")
        {
            Description = "Report pairs at this distance or more in one bucket" + (defaultBucketCap is int cap ? $" (default {cap}, as the paper's last column; a large value keeps every distance apart)." : "."),
            DefaultValueFactory = _ => defaultBucketCap,
        },
        v => v is null or >= 0,
        v => $"--bucket-cap must be at least 0, got {v}");

    public void AddTo(Command command)
    {
        command.Add(K);
        command.Add(Queries);
        command.Add(BucketCap);
    }

    public HierarchyEvaluatorOptions EvaluatorOptions(ParseResult parse, int threads) => new()
    {
        K = parse.GetValue(K),
        DistanceBucketCap = parse.GetValue(BucketCap),
        Threads = threads,
    };

    /// <summary>All pairs (self pairs included) of all queries, or of a seeded random sample of queries.</summary>
    public PairSet Pairs(ParseResult parse, Hierarchy hierarchy, int seed)
    {
        if (parse.GetValue(Queries) is not int count || count >= hierarchy.Count)
        {
            return PairSet.All(hierarchy.Closure);
        }

        int[] nodes = [.. Enumerable.Range(0, hierarchy.Count)];
        new Random(seed).Shuffle(nodes);
        return PairSet.ForQueries(hierarchy.Closure, nodes.Take(count));
    }
}
