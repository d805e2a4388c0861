using System.Diagnostics;

namespace HierRetrieval.MLNet.Tests;

/// <summary>Runs an example program of pipelines/ (built beside the tests) as a separate process.</summary>
internal static class Example
{
    public static (int Exit, string Out, string Error) Run(string name, params string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet", [Path.Combine(AppContext.BaseDirectory, name + ".dll"), .. arguments])
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
        };
        using var process = Process.Start(start)!;
        var error = process.StandardError.ReadToEndAsync();
        string output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, output, error.Result);
    }
}
