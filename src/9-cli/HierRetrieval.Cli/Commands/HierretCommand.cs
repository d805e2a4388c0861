using System.CommandLine;

namespace HierRetrieval.Cli.Commands;

/// <summary>The root command: <c>hierret</c> and its subcommands.</summary>
internal static class HierretCommand
{
    public static RootCommand Create()
    {
        var root = new RootCommand("hierret: hierarchical retrieval with dual encoders (HierRetrieval.MLNet).");
        root.Add(DataCommand.Create());
        root.Add(ConstructCommand.Create());
        root.Add(TrainCommand.Create());
        root.Add(ModelCommands.Evaluate());
        root.Add(ModelCommands.HyperLex());
        root.Add(ScoreCommand.Create());
        root.Add(EsciCommand.Create());
        root.Add(TextCommand.Create());
        root.Add(BenchCommand.Create());
        return root;
    }
}
