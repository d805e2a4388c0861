using System.CommandLine;
using HierRetrieval.Data.Datasets;

namespace HierRetrieval.Cli.Commands;

/// <summary>Options shared by several commands, created fresh for each command that uses them.</summary>
internal static class CommonOptions
{
    public static Option<bool> Json() => new("--json") { Description = "Print the result as JSON on standard output (no progress display)." };

    public static Option<string> Hierarchy() => new("--hierarchy")
    {
        Description = $"The hierarchy: {HierarchyCatalog.Forms}.",
        Required = true,
        HelpName = "name|path",
    };

    public static Option<int> Seed(string what) => new("--seed") { Description = $"Seed of {what}.", DefaultValueFactory = _ => 0 };

    public static Option<int> Threads() => new("--threads")
    {
        Description = "Worker threads (default: all cores).",
        DefaultValueFactory = _ => Environment.ProcessorCount,
        Validators = { r => { if (r.GetValueOrDefault<int>() < 1) { r.AddError("--threads must be at least 1"); } } },
    };

    /// <summary>An integer option that must be at least <paramref name="minimum"/>; the parser reports a violation naming the option.</summary>
    public static Option<int> AtLeast(string name, int minimum, string description, int? defaultValue = null, bool required = false)
    {
        var option = new Option<int>(name) { Description = description, Required = required };
        if (defaultValue is int value)
        {
            option.DefaultValueFactory = _ => value;
        }

        option.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<int>() < minimum)
            {
                r.AddError($"{name} must be at least {minimum}, got {r.GetValueOrDefault<int>()}");
            }
        });
        return option;
    }
}
