using System.CommandLine;
using HierRetrieval.Cli.Terminal;
using HierRetrieval.Data.Datasets;
using HierRetrieval.Data.IO;
using HierRetrieval.Data.Pairs;

namespace HierRetrieval.Cli.Commands;

/// <summary><c>hierret data</c>: inspect, import and export hierarchies.</summary>
internal static class DataCommand
{
    public static Command Create()
    {
        var command = new Command("data", "Inspect, import and export hierarchies.");
        command.Add(Stats());
        command.Add(ImportWordNet());
        command.Add(Export());
        command.Add(Pairs());
        return command;
    }

    private static Command Stats()
    {
        var hierarchy = CommonOptions.Hierarchy();
        var json = CommonOptions.Json();
        var command = new Command("stats", "Print nodes, edges, closure pairs, multi-parent nodes and depth of a hierarchy.") { hierarchy, json };
        command.SetAction(parse => CommandOutput.Run(parse, json, output =>
        {
            var stats = HierarchyCatalog.Load(parse.GetValue(hierarchy)!).GetStatistics();
            if (output.Json)
            {
                output.WriteJson(stats);
                return 0;
            }

            output.Out.WriteLine($"nodes              {stats.Nodes,12:N0}");
            output.Out.WriteLine($"edges              {stats.Edges,12:N0}");
            output.Out.WriteLine($"duplicate edges    {stats.DuplicateEdges,12:N0}  (merged)");
            output.Out.WriteLine($"closure pairs      {stats.ClosurePairs,12:N0}  (self pairs not counted)");
            output.Out.WriteLine($"multi-parent nodes {stats.MultiParentNodes,12:N0}");
            output.Out.WriteLine($"roots              {stats.Roots,12:N0}");
            output.Out.WriteLine($"leaves             {stats.Leaves,12:N0}");
            output.Out.WriteLine($"max depth          {stats.MaxDepth,12:N0}  (edges on the longest path to a root)");
            output.Out.WriteLine($"max distance       {stats.MaxDistance,12:N0}  (shortest path of the farthest pair)");
            output.Out.WriteLine($"max |S(q)|         {stats.MaxMatchSetSize,12:N0}");
            return 0;
        }));
        return command;
    }

    private static Command ImportWordNet()
    {
        var dictionary = new Option<string>("--dict")
        {
            Description = "WordNet 3.0 dictionary folder holding data.noun and index.noun.",
            DefaultValueFactory = _ => WordNetDictionaryReader.DebianDictionaryFolder,
        };
        var archive = new Option<string>("--out") { Description = "The archive to write (gzip-compressed TSV).", Required = true };
        var command = new Command("import-wordnet", "Convert WordNet 3.0's data.noun/index.noun into the compact archive shipped in datasets/wordnet/.") { dictionary, archive };
        command.SetAction(parse => CommandOutput.Run(parse, null, output =>
        {
            var synsets = WordNetDictionaryReader.ReadNouns(parse.GetValue(dictionary)!);
            var hierarchy = WordNetNouns.ToHierarchy(synsets, parse.GetValue(dictionary));
            string path = parse.GetValue(archive)!;
            AtomicFile.Write(path, stream => WordNetNouns.WriteArchive(synsets, stream));
            output.Out.WriteLine($"wrote {synsets.Count:N0} synsets, {hierarchy.EdgeCount:N0} edges to {path}");
            return 0;
        }));
        return command;
    }

    private static Command Pairs()
    {
        var hierarchy = CommonOptions.Hierarchy();
        var outFile = new Option<string>("--out") { Description = $"The pairs table to write ({PairTable.Header.Replace('\t', ' ')}, tab-separated).", Required = true, HelpName = "file" };
        var heldOut = new Option<double>("--held-out-fraction") { Description = "Fraction of the non-self pairs marked Held (a seeded test split; self pairs are never held out).", DefaultValueFactory = _ => 0 };
        CommonOptions.Require(heldOut, v => v is >= 0 and < 1, v => $"--held-out-fraction must be in [0, 1), got {v}");
        var seed = CommonOptions.Seed("the held-out split");
        var command = new Command("pairs", "Write every (node, ancestor, distance) pair of a hierarchy as a TSV table: the training input of the ML.NET DualEncoder.") { hierarchy, outFile, heldOut, seed };
        command.SetAction(parse => CommandOutput.Run(parse, null, output =>
        {
            var loaded = HierarchyCatalog.Load(parse.GetValue(hierarchy)!);
            var split = PairSplitter.Split(loaded.Closure, new PairSplitOptions { Seed = parse.GetValue(seed), ValidationFraction = 0, TestFraction = parse.GetValue(heldOut) });
            var all = PairSet.All(loaded.Closure);
            string path = parse.GetValue(outFile)!;
            AtomicFile.WriteText(path, writer => PairTable.Write(loaded, all, split.Test, writer));
            output.Out.WriteLine($"wrote {all.Count:N0} pairs ({split.Test.Count:N0} held out) of {loaded.Count:N0} nodes to {path}");
            return 0;
        }));
        return command;
    }

    private static Command Export()
    {
        var hierarchy = CommonOptions.Hierarchy();
        var edgeList = new Option<string>("--out") { Description = "The edge-list file to write (child<TAB>parent per line).", Required = true };
        var command = new Command("export", "Write a hierarchy in the edge-list format.") { hierarchy, edgeList };
        command.SetAction(parse => CommandOutput.Run(parse, null, output =>
        {
            var loaded = HierarchyCatalog.Load(parse.GetValue(hierarchy)!);
            string path = parse.GetValue(edgeList)!;
            AtomicFile.WriteText(path, writer => EdgeListReader.Write(loaded, writer));
            output.Out.WriteLine($"wrote {loaded.Count:N0} nodes, {loaded.EdgeCount:N0} edges to {path}");
            return 0;
        }));
        return command;
    }
}
