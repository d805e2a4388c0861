using System.CommandLine;
using HierRetrieval.Cli.Commands;

namespace HierRetrieval.Cli.Tests;

/// <summary>Runs <c>hierret</c> in-process with captured output.</summary>
internal static class Hierret
{
    public static (int Exit, string Out, string Error) Run(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        int exit = HierretCommand.Parse(args).Invoke(new InvocationConfiguration { Output = output, Error = error });
        return (exit, output.ToString(), error.ToString());
    }
}
