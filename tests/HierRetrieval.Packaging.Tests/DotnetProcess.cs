using System.Diagnostics;

namespace HierRetrieval.Packaging.Tests;

/// <summary>Runs a command (the dotnet CLI, a built program, an installed tool) and captures what it printed.</summary>
internal static class DotnetProcess
{
    public static (int Exit, string Output) Run(string fileName, IEnumerable<string> arguments, string workingDirectory, TimeSpan timeout)
    {
        var start = new ProcessStartInfo(fileName, arguments)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };

        // The test host's MSBuild variables belong to its own build, not to the builds started here.
        foreach (string key in start.Environment.Keys.Where(k => k.StartsWith("MSBUILD", StringComparison.OrdinalIgnoreCase)).ToList())
        {
            start.Environment.Remove(key);
        }

        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";
        using var process = Process.Start(start)!;
        var error = process.StandardError.ReadToEndAsync();
        var output = process.StandardOutput.ReadToEndAsync();
        if (!process.WaitForExit(timeout))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{fileName} {string.Join(' ', arguments)} ran longer than {timeout}");
        }

        return (process.ExitCode, output.Result + error.Result);
    }

    /// <summary>Runs <c>dotnet</c> and fails the test with its output when it does not exit with 0.</summary>
    public static string Dotnet(string workingDirectory, params string[] arguments)
    {
        var (exit, output) = Run("dotnet", arguments, workingDirectory, TimeSpan.FromMinutes(10));
        Assert.That(exit, Is.Zero, $"dotnet {string.Join(' ', arguments)} failed:\n{output}");
        return output;
    }
}
