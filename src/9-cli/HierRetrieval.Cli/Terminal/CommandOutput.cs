using System.CommandLine;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace HierRetrieval.Cli.Terminal;

/// <summary>Where a command writes: its result to standard output (text or JSON), progress and errors to standard error.</summary>
internal sealed class CommandOutput(TextWriter output, TextWriter error, bool json, bool interactive)
{
    private static readonly JsonSerializerOptions JsonOptions = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public TextWriter Out { get; } = output;

    public TextWriter Error { get; } = error;

    /// <summary>Whether standard error is a terminal (progress displays are drawn only there).</summary>
    public bool Interactive { get; } = interactive;

    /// <summary>Whether the result is printed as JSON (and progress is suppressed).</summary>
    public bool Json { get; } = json;

    /// <summary>A progress display on standard error, only for a terminal and outside JSON mode.</summary>
    public TerminalProgress Progress(string label) => new(Error, label, enabled: Interactive && !Json);

    public void WriteJson<T>(T value) => Out.WriteLine(JsonSerializer.Serialize(value, JsonOptions));

    public static string Serialize<T>(T value) => JsonSerializer.Serialize(value, JsonOptions);

    /// <summary>
    /// Runs a command body with the parse result's writers: known input errors print <c>error: message</c> and
    /// return exit code 1 instead of a stack trace.
    /// </summary>
    public static int Run(ParseResult parse, Option<bool>? jsonOption, Func<CommandOutput, int> body)
    {
        var configuration = parse.InvocationConfiguration;
        bool interactive = ReferenceEquals(configuration.Error, Console.Error) && !Console.IsErrorRedirected;
        var output = new CommandOutput(configuration.Output, configuration.Error, jsonOption is not null && parse.GetValue(jsonOption), interactive);
        try
        {
            return body(output);
        }
        catch (Exception e) when (e is UserInputException or HierRetrieval.Data.Hierarchies.InvalidHierarchyException
            or ArgumentException or FileNotFoundException or DirectoryNotFoundException or InvalidDataException or UnauthorizedAccessException or IOException)
        {
            string message = e is ArgumentException { ParamName: { } parameter } ? e.Message.Replace($" (Parameter '{parameter}')", "", StringComparison.Ordinal) : e.Message;
            output.Error.WriteLine($"error: {message}");
            return 1;
        }
    }
}

/// <summary>An error in what the user asked for, reported as <c>error: message</c> with exit code 1.</summary>
internal sealed class UserInputException(string message) : Exception(message);
