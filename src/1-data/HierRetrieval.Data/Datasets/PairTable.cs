using System.Globalization;
using HierRetrieval.Data.Hierarchies;
using HierRetrieval.Data.Pairs;

namespace HierRetrieval.Data.Datasets;

/// <summary>
/// Matched pairs as a tab-separated table with the header <c>Query Document Distance Held</c>: one row per
/// (node, ancestor) pair with node ids, the distance, and whether the pair is held out of training
/// (<c>true</c>/<c>false</c>). The training input of the ML.NET estimator (see pipelines/WordNetPipeline).
/// </summary>
public static class PairTable
{
    /// <summary>The header line.</summary>
    public const string Header = "Query\tDocument\tDistance\tHeld";

    /// <summary>Writes every pair of <paramref name="pairs"/>, marking those in <paramref name="heldOut"/>.</summary>
    public static void Write(Hierarchy hierarchy, PairSet pairs, PairSet heldOut, TextWriter writer)
    {
        var held = new HashSet<(int, int)>();
        foreach (var pair in heldOut.Pairs)
        {
            held.Add((pair.Query, pair.Document));
        }

        writer.WriteLine(Header);
        foreach (var pair in pairs.Pairs)
        {
            string mark = held.Contains((pair.Query, pair.Document)) ? "true" : "false";
            writer.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{hierarchy.IdOf(pair.Query)}\t{hierarchy.IdOf(pair.Document)}\t{pair.Distance}\t{mark}"));
        }
    }
}
