namespace HierRetrieval.Tests.Shared;

/// <summary>A temporary folder deleted on dispose, for tests that read or write files.</summary>
internal sealed class TempFolder : IDisposable
{
    public TempFolder() => Directory.CreateDirectory(Path);

    public string Path { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "hierret-tests-" + Guid.NewGuid().ToString("N"));

    /// <summary>Writes <paramref name="content"/> to <paramref name="name"/> in the folder and returns its path.</summary>
    public string Write(string name, string content)
    {
        string path = System.IO.Path.Combine(Path, name);
        File.WriteAllText(path, content);
        return path;
    }

    public void Dispose() => Directory.Delete(Path, recursive: true);
}
