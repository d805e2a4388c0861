using System.CommandLine;
using System.Text.Json;
using System.Text.Json.Serialization;
using HierRetrieval.Data.IO;

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
    /// The <c>--verbose</c> option, on the root command and every subcommand: errors are followed by the exception's
    /// details and stack trace.
    /// </summary>
    public static Option<bool> Verbose { get; } = new("--verbose") { Description = "On an error, also print the exception's details and stack trace.", Recursive = true };

    /// <summary>
    /// Runs a command body with the parse result's writers. Known input errors print <c>error: message</c>; anything
    /// unexpected prints one line naming the command and a hint to rerun with <c>--verbose</c>. Both return exit code
    /// 1; a stack trace is printed only with <c>--verbose</c>. Temporary files the command writes carry its name.
    /// </summary>
    public static int Run(ParseResult parse, Option<bool>? jsonOption, Func<CommandOutput, int> body)
    {
        var configuration = parse.InvocationConfiguration;
        bool interactive = ReferenceEquals(configuration.Error, Console.Error) && !Console.IsErrorRedirected;
        var output = new CommandOutput(configuration.Output, configuration.Error, jsonOption is not null && parse.GetValue(jsonOption), interactive);
        string command = CommandPath(parse.CommandResult);
        AtomicFile.WriterName = command.Replace(' ', '-');
        bool verbose = parse.GetValue(Verbose);
        try
        {
            return body(output);
        }
        catch (OperationCanceledException)
        {
            throw;
        }
        catch (Exception e) when (IsInputError(e))
        {
            output.Error.WriteLine($"error: {Message(e)}");
            if (verbose)
            {
                output.Error.WriteLine(e);
            }

            return 1;
        }
        catch (Exception e)
        {
            output.Error.WriteLine($"error: {command} failed unexpectedly: {Message(e)} ({e.GetType().Name}){(verbose ? "" : "; rerun with --verbose for the details")}");
            if (verbose)
            {
                output.Error.WriteLine(e);
            }

            return 1;
        }
    }

    /// <summary>Errors in what the user gave (files, options): their message says what and where.</summary>
    private static bool IsInputError(Exception e) => e is UserInputException or HierRetrieval.Data.Hierarchies.InvalidHierarchyException
        or ArgumentException or FileNotFoundException or DirectoryNotFoundException or InvalidDataException or UnauthorizedAccessException or IOException;

    private static string Message(Exception e) =>
        e is ArgumentException { ParamName: { } parameter } ? e.Message.Replace($" (Parameter '{parameter}')", "", StringComparison.Ordinal) : e.Message;

    /// <summary>"hierret esci train" for the esci train command.</summary>
    private static string CommandPath(System.CommandLine.Parsing.CommandResult result) =>
        result.Parent is System.CommandLine.Parsing.CommandResult parent ? $"{CommandPath(parent)} {result.Command.Name}" : "hierret";
}

/// <summary>An error in what the user asked for, reported as <c>error: message</c> with exit code 1.</summary>
internal sealed class UserInputException(string message) : Exception(message);
