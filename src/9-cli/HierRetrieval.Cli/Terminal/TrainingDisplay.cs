using System.Diagnostics;
using HierRetrieval.Training;
using Microsoft.Extensions.Logging;

namespace HierRetrieval.Cli.Terminal;

/// <summary>
/// Shows a training run on standard error: a progress line (stage, step, loss, last validation recall, ETA) on a
/// terminal, and log lines from Microsoft.Extensions.Logging printed above it. Log lines are written synchronously
/// so that they never interleave with the progress line.
/// </summary>
internal sealed class TrainingDisplay(TextWriter writer, bool showProgress, LogLevel minimumLevel) : IProgress<TrainingProgress>, ILoggerProvider, ILogger
{
    private readonly Lock _gate = new();
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private long _lastDrawMs = -1000;
    private string _line = "";
    private int _stageIndex = -1;
    private TimeSpan _stageStart;

    public void Report(TrainingProgress value)
    {
        if (!showProgress)
        {
            return;
        }

        lock (_gate)
        {
            if (value.StageIndex != _stageIndex)
            {
                _stageIndex = value.StageIndex;
                _stageStart = _clock.Elapsed;
            }

            long now = _clock.ElapsedMilliseconds;
            if (now - _lastDrawMs < 200 && value.StageStep < value.StageSteps)
            {
                return;
            }

            _lastDrawMs = now;
            double seconds = (_clock.Elapsed - _stageStart).TotalSeconds;
            double fraction = (double)value.StageStep / value.StageSteps;
            string eta = fraction > 0 ? TimeSpan.FromSeconds(Math.Round(seconds * (1 - fraction) / fraction)).ToString() : "?";
            string validation = value.ValidationOverall is double v ? $"{v:P1}" : "-";
            _line = $"{value.Stage} ({value.StageIndex + 1}/{value.StageCount}) step {value.StageStep:N0}/{value.StageSteps:N0} loss {value.Loss:F3} val {validation} ETA {eta}";
            writer.Write($"\r{_line}   ");
        }
    }

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        if (!IsEnabled(logLevel))
        {
            return;
        }

        lock (_gate)
        {
            if (_line.Length > 0)
            {
                writer.Write($"\r{new string(' ', _line.Length + 3)}\r");
            }

            writer.WriteLine($"[{_clock.Elapsed:hh\\:mm\\:ss}] {formatter(state, exception)}");
            if (_line.Length > 0)
            {
                writer.Write($"\r{_line}   ");
            }
        }
    }

    public bool IsEnabled(LogLevel logLevel) => logLevel >= minimumLevel && logLevel != LogLevel.None;

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public ILogger CreateLogger(string categoryName) => this;

    /// <summary>Clears the progress line.</summary>
    public void Dispose()
    {
        lock (_gate)
        {
            if (_line.Length > 0)
            {
                writer.Write($"\r{new string(' ', _line.Length + 3)}\r");
                _line = "";
            }
        }
    }
}
