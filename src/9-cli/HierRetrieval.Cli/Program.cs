using System.CommandLine;
using System.Globalization;
using System.Runtime.InteropServices;
using HierRetrieval.Cli.Commands;
using HierRetrieval.Cli.Terminal;

GlibcAllocator.KeepLargeBlocks();

// Numbers and dates print the same whatever the user's locale (ICU is on for Unicode normalisation, not for cultures).
CultureInfo.DefaultThreadCurrentCulture = CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
CultureInfo.DefaultThreadCurrentUICulture = CultureInfo.CurrentUICulture = CultureInfo.InvariantCulture;

// Ctrl+C (SIGINT) and SIGTERM cancel the running command, which then saves its checkpoint and exits with 130;
// a second signal is left to the default handler and ends the process at once.
using var stop = new CancellationTokenSource();
void Cancel(PosixSignalContext context)
{
    if (!stop.IsCancellationRequested)
    {
        context.Cancel = true;
        stop.Cancel();
    }
}

using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, Cancel);
using var terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Cancel);
return await HierretCommand.Parse(args).InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = null }, stop.Token);
