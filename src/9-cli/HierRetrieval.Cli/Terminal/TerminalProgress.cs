using System.Diagnostics;

namespace HierRetrieval.Cli.Terminal;

/// <summary>A one-line progress display (done/total, percent, rate, ETA) redrawn at most ten times a second.</summary>
internal sealed class TerminalProgress(TextWriter writer, string label, bool enabled) : IProgress<(long Done, long Total)>, IDisposable
{
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly Lock _gate = new();
    private long _lastDrawMs = -1000;
    private bool _drawn;

    /// <summary>Whether anything is drawn (a terminal, no --json).</summary>
    public bool Enabled => enabled;

    public void Report((long Done, long Total) value)
    {
        if (!enabled)
        {
            return;
        }

        lock (_gate)
        {
            long now = _clock.ElapsedMilliseconds;
            if (now - _lastDrawMs < 100 && value.Done < value.Total)
            {
                return;
            }

            _lastDrawMs = now;
            double seconds = Math.Max(_clock.Elapsed.TotalSeconds, 1e-3);
            double fraction = value.Total > 0 ? (double)value.Done / value.Total : 0;
            double eta = fraction > 0 ? seconds * (1 - fraction) / fraction : double.NaN;
            string etaText = double.IsNaN(eta) ? "?" : $"{eta:F0}s";
            writer.Write($"\r{label}: {value.Done:N0}/{value.Total:N0} ({fraction:P0}) {value.Done / seconds:N0}/s ETA {etaText}   ");
            _drawn = true;
        }
    }

    public void Dispose()
    {
        if (_drawn)
        {
            writer.Write('\r');
            writer.Write(new string(' ', 79));
            writer.Write('\r');
        }
    }
}
