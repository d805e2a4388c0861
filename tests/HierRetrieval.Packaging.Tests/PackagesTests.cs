using System.Reflection;
using System.Text.Json;
using HierRetrieval.Tests.Shared;

namespace HierRetrieval.Packaging.Tests;

/// <summary>
/// Packs the solution's packages into a folder feed (what the solution built, under a version of its own so that no
/// cached package is reused), then builds and runs programs that consume them by PackageReference alone, outside the
/// repository: the WordNet pipeline example (fit, save, reload, evaluate) with HierRetrieval.MLNet; a program that scores a
/// zip with HierRetrieval.Runtime alone, whose restore must bring no TorchSharp; and the hierret tool, installed.
/// </summary>
[NonParallelizable]
public class PackagesTests
{
    private static readonly string Configuration = typeof(PackagesTests).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()!.Configuration;
    private readonly string _version = "0.1.0-packagetest." + Guid.NewGuid().ToString("N")[..12];
    private TempFolder _folder = null!;
    private string _feed = null!;

    [OneTimeSetUp]
    public void PackTheSolution()
    {
        _folder = new TempFolder();
        _feed = Path.Combine(_folder.Path, "feed");
        DotnetProcess.Dotnet(Repository.Root, "pack", "HierRetrieval.MLNet.sln", "-c", Configuration, "--no-build", "-o", _feed, $"-p:PackageVersion={_version}");
    }

    [OneTimeTearDown]
    public void RemoveThePackages()
    {
        _folder.Dispose();
        string cache = Environment.GetEnvironmentVariable("NUGET_PACKAGES") ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        foreach (string package in Directory.Exists(cache) ? Directory.GetDirectories(cache, "hierret*") : [])
        {
            string version = Path.Combine(package, _version);
            if (Directory.Exists(version))
            {
                Directory.Delete(version, recursive: true);
            }

            if (!Directory.EnumerateFileSystemEntries(package).Any())
            {
                Directory.Delete(package);
            }
        }
    }

    [Test]
    public void Feed_HoldsEveryLibraryAndTheTool_WithReadmeLicenceDocsAndSymbols()
    {
        string[] ids = ["HierRetrieval.Data", "HierRetrieval.Retrieval", "HierRetrieval.Evaluation", "HierRetrieval.Export", "HierRetrieval.Runtime", "HierRetrieval.Backbones", "HierRetrieval.Training", "HierRetrieval.Runs", "HierRetrieval.MLNet", "hierret"];
        Assert.Multiple(() =>
        {
            Assert.That(Directory.GetFiles(_feed, "*.nupkg").Select(Path.GetFileName), Is.EquivalentTo(ids.Select(id => $"{id}.{_version}.nupkg")));
            Assert.That(Directory.GetFiles(_feed, "*.snupkg").Select(Path.GetFileName), Is.EquivalentTo(ids.Select(id => $"{id}.{_version}.snupkg")));
            foreach (string id in ids.SkipLast(1))
            {
                using var package = System.IO.Compression.ZipFile.OpenRead(Path.Combine(_feed, $"{id}.{_version}.nupkg"));
                string[] entries = [.. package.Entries.Select(e => e.FullName)];
                Assert.That(entries, Does.Contain("PACKAGE.md").And.Contain($"lib/net10.0/{id}.dll").And.Contain($"lib/net10.0/{id}.xml"), id);
                using var nuspec = new StreamReader(package.GetEntry($"{id}.nuspec")!.Open());
                Assert.That(nuspec.ReadToEnd(), Does.Contain("<license type=\"expression\">MIT</license>").And.Contain("<readme>PACKAGE.md</readme>"), id);
            }
        });
    }

    [Test]
    public void TrainingPackage_RunsTheWordNetPipeline_FitSaveReloadEvaluate_WithNoImport()
    {
        string app = Consumer("WordNetPipeline");
        File.Copy(Path.Combine(Repository.Root, "pipelines", "WordNetPipeline", "Program.cs"), Path.Combine(app, "Program.cs"));
        Build(app);
        string output = DotnetProcess.Dotnet(app, Path.Combine("bin", "Release", "net10.0", "WordNetPipeline.dll"), "wordnet-mammals", Path.Combine(app, "run"), "400");
        TestContext.Out.WriteLine(output);
        string overall = output.Split("\noverall ")[1].Split('%')[0];
        Assert.Multiple(() =>
        {
            Assert.That(File.Exists(Path.Combine(app, "run", "model.zip")), Is.True);
            Assert.That(output, Does.Contain($"reloaded {Path.Combine(app, "run", "model.zip")}: held-out pairs 654 of "));
            Assert.That(double.Parse(overall, System.Globalization.CultureInfo.InvariantCulture), Is.GreaterThan(70), "held-out recall@|S(q)| of the reloaded zip, far above an untrained model's");
        });
    }

    [Test]
    public void RuntimePackage_ScoresASavedZip_AndRestoresNoTorchSharp()
    {
        string app = Consumer("ScoreWithRuntime");
        Build(app);
        string output = DotnetProcess.Dotnet(
            app, Path.Combine("bin", "Release", "net10.0", "ScoreWithRuntime.dll"),
            Repository.Fixture("saved-models/lookup/model.zip"), Repository.Fixture("saved-models/lookup/queries.tsv"), "5");
        using var assets = JsonDocument.Parse(File.ReadAllText(Path.Combine(app, "obj", "project.assets.json")));
        string[] restored = [.. assets.RootElement.GetProperty("libraries").EnumerateObject().Select(library => library.Name)];
        Assert.Multiple(() =>
        {
            Assert.That(restored, Does.Contain($"HierRetrieval.Runtime/{_version}"));
            Assert.That(restored.Where(name => name.StartsWith("TorchSharp", StringComparison.OrdinalIgnoreCase) || name.StartsWith("libtorch", StringComparison.OrdinalIgnoreCase)), Is.Empty);
            Assert.That(output, Is.EqualTo(File.ReadAllText(Repository.Fixture("saved-models/lookup/lookup-scored.tsv"))));
        });
    }

    [Test]
    public void Tool_InstallsFromTheFeed_AndTrains()
    {
        string work = Directory.CreateDirectory(Path.Combine(_folder.Path, "tool")).FullName;
        DotnetProcess.Dotnet(work, "tool", "install", "--tool-path", Path.Combine(work, "tools"), "--add-source", _feed, "hierret", "--version", _version);
        var (exit, output) = DotnetProcess.Run(
            Path.Combine(work, "tools", "hierret"),
            ["train", "--hierarchy", "tree:W=3,H=3", "--dim", "4", "--steps", "30", "--finetune-steps", "5", "--batch-size", "16", "--negatives", "8", "--threshold", "2", "--out", Path.Combine(work, "run")],
            work,
            TimeSpan.FromMinutes(2));
        Assert.Multiple(() =>
        {
            Assert.That(exit, Is.Zero, output);
            Assert.That(output, Does.Contain("tree:W=3,H=3: 13 nodes, d=4, pretrain-finetune"));
            Assert.That(File.Exists(Path.Combine(work, "run", "model.zip")), Is.True);
        });
    }

    [Test]
    public void ReadmeExamples_BuildAgainstThePackages()
    {
        string[] examples = [.. System.Text.RegularExpressions.Regex.Matches(File.ReadAllText(Path.Combine(Repository.Root, "README.md")), "```csharp\n(.*?)```", System.Text.RegularExpressions.RegexOptions.Singleline).Select(m => m.Groups[1].Value)];
        Assert.That(examples, Has.Length.GreaterThanOrEqualTo(3));
        for (int i = 0; i < examples.Length; i++)
        {
            // An example over a packaged sentence encoder needs the HierRetrieval.Backbones package too.
            string app = Consumer(examples[i].Contains("using HierRetrieval.Backbones;", StringComparison.Ordinal) ? "BackbonePipeline" : "WordNetPipeline", $"ReadmeExample{i}");
            File.WriteAllText(Path.Combine(app, "Program.cs"), examples[i]);
            Build(app);
        }
    }

    /// <summary>
    /// Builds a consumer program against the feed's packages. Its output folder hard-links libtorch's and ONNX Runtime's
    /// natives from the NuGet cache where it can (as the repository's own projects do), so that several consumers
    /// do not each add a gigabyte of copies to the disk.
    /// </summary>
    private void Build(string app) => DotnetProcess.Dotnet(app, "build", "-c", "Release", $"-p:HierRetrievalVersion={_version}", "-p:CreateHardLinksForCopyLocalIfPossible=true");

    /// <summary>Copies a consumer program out of the repository (no Directory.Build.props, no central versions) with a NuGet config whose HierRetrieval packages come from the feed only.</summary>
    private string Consumer(string name, string? copyName = null)
    {
        string app = Path.Combine(_folder.Path, copyName ?? name);
        foreach (string file in Directory.GetFiles(Path.Combine(AppContext.BaseDirectory, "Consumers", name)))
        {
            Directory.CreateDirectory(app);
            File.Copy(file, Path.Combine(app, Path.GetFileName(file)));
        }

        File.WriteAllText(Path.Combine(app, "nuget.config"), $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <packageSources>
                <clear />
                <add key="feed" value="{_feed}" />
                <add key="nuget.org" value="https://api.nuget.org/v3/index.json" protocolVersion="3" />
              </packageSources>
              <packageSourceMapping>
                <packageSource key="feed">
                  <package pattern="HierRetrieval.*" />
                </packageSource>
                <packageSource key="nuget.org">
                  <package pattern="*" />
                </packageSource>
              </packageSourceMapping>
            </configuration>
            """);
        return app;
    }
}
