using System.CommandLine;
using HierRetrieval.Cli.Terminal;

namespace HierRetrieval.Cli.Tests;

public class ErrorHandlingTests
{
    /// <summary>Runs a command whose body fails with <paramref name="failure"/>, the way every hierret command runs.</summary>
    private static (int Exit, string Error) RunFailing(Exception failure, params string[] extra)
    {
        var command = new Command("explode", "fails on purpose");
        command.SetAction(parse => CommandOutput.Run(parse, null, _ => throw failure));
        var root = new RootCommand("test") { CommandOutput.Verbose, command };
        var error = new StringWriter();
        int exit = root.Parse(["explode", .. extra]).Invoke(new InvocationConfiguration { Output = new StringWriter(), Error = error });
        return (exit, error.ToString());
    }

    [Test]
    public void UnexpectedFailure_IsOneLineNamingTheCommand_WithAHintAtVerbose()
    {
        var (exit, error) = RunFailing(new NullReferenceException("a bug"));
        Assert.Multiple(() =>
        {
            Assert.That(exit, Is.EqualTo(1));
            Assert.That(error, Is.EqualTo("error: hierret explode failed unexpectedly: a bug (NullReferenceException); rerun with --verbose for the details" + Environment.NewLine));
        });
    }

    [Test]
    public void UnexpectedFailure_WithVerbose_AddsTheStackTrace()
    {
        var (exit, error) = RunFailing(new NullReferenceException("a bug"), "--verbose");
        Assert.Multiple(() =>
        {
            Assert.That(exit, Is.EqualTo(1));
            Assert.That(error, Does.StartWith("error: hierret explode failed unexpectedly: a bug (NullReferenceException)" + Environment.NewLine + "System.NullReferenceException: a bug"));
        });
    }

    [Test]
    public void InputError_IsItsMessageAlone()
    {
        var (exit, error) = RunFailing(new InvalidDataException("data.csv:3: bad row"));
        Assert.That((exit, error), Is.EqualTo((1, "error: data.csv:3: bad row" + Environment.NewLine)));
    }

    [Test]
    public void UnwritableOutput_NamesTheTarget_NotATemporaryFile()
    {
        var (exit, _, error) = Hierret.Run("data", "export", "--hierarchy", "tree:W=2,H=2", "--out", "/proc/hierret-x");
        Assert.Multiple(() =>
        {
            Assert.That(exit, Is.EqualTo(1));
            Assert.That(error, Does.StartWith("error: /proc/hierret-x: cannot write the file (").And.Not.Contain(".tmp"));
        });
    }
}
