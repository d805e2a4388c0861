namespace HierRetrieval.Cli.Terminal;

/// <summary>Reports progress on the calling thread, in order (unlike <see cref="Progress{T}"/>, which posts asynchronously).</summary>
internal sealed class SynchronousProgress<T>(Action<T> report) : IProgress<T>
{
    public void Report(T value) => report(value);
}
