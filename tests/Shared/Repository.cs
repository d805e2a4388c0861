namespace HierRetrieval.Tests.Shared;

/// <summary>Paths in the repository (and beside it) for tests that read committed fixtures or shared data.</summary>
internal static class Repository
{
    /// <summary>The folder holding HierRetrieval.MLNet.sln, found above the test output.</summary>
    public static string Root { get; } = FindRoot();

    /// <summary>A committed fixture: <c>tests/fixtures/</c> + <paramref name="relativePath"/>.</summary>
    public static string Fixture(string relativePath) => Path.Combine(Root, "tests", "fixtures", relativePath);

    private static string FindRoot()
    {
        var folder = new DirectoryInfo(AppContext.BaseDirectory);
        while (folder is not null && !File.Exists(Path.Combine(folder.FullName, "HierRetrieval.MLNet.sln")))
        {
            folder = folder.Parent;
        }

        return folder?.FullName ?? throw new DirectoryNotFoundException("the repository root (HierRetrieval.MLNet.sln) is not above the test output");
    }
}
