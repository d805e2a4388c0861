using System.CommandLine;

namespace HierRetrieval.Cli.Commands;

/// <summary>The root command: <c>hierret</c> and its subcommands.</summary>
internal static class HierretCommand
{
    /// <summary>Parses a command line; an option error is then reported in one line naming the option (--help shows the usage).</summary>
    public static ParseResult Parse(string[] args)
    {
        var parse = Create().Parse(args);
        if (parse.Action is System.CommandLine.Invocation.ParseErrorAction errors)
        {
            errors.ShowHelp = false;
        }

        return parse;
    }

    public static RootCommand Create()
    {
        var root = new RootCommand("hierret: hierarchical retrieval with dual encoders (HierRetrieval.MLNet).");
        root.Add(Terminal.CommandOutput.Verbose);
        root.Add(DataCommand.Create());
        root.Add(ConstructCommand.Create());
        root.Add(TrainCommand.Create());
        root.Add(ModelCommands.Evaluate());
        root.Add(ModelCommands.HyperLex());
        root.Add(ScoreCommand.Create());
        root.Add(EsciCommand.Create());
        root.Add(TextCommand.Create());
        root.Add(StudyCommand.Create());
        root.Add(BenchCommand.Create());
        return root;
    }
}
