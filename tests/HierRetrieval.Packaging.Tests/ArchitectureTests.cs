using System.Globalization;
using System.Text;
using System.Xml.Linq;
using HierRetrieval.Tests.Shared;

namespace HierRetrieval.Packaging.Tests;

/// <summary>
/// The layering is read from the project files: references point one way, down the numbered layers of src/ (the
/// studies sit above the library and below the CLI), and docs/architecture.md shows the graph generated from those
/// files. Run with HIERRET_UPDATE_ARCHITECTURE=1 to rewrite the generated part of the document.
/// </summary>
public class ArchitectureTests
{
    private const string Begin = "<!-- generated from the project files: begin -->", End = "<!-- generated from the project files: end -->";
    private static readonly string Document = Path.Combine(Repository.Root, "docs", "architecture.md");

    /// <summary>Every project of src/ and studies/, in dependency order: a project may reference only projects before it.</summary>
    private static readonly string[] LayerOrder =
    [
        "HierRetrieval.Data", "HierRetrieval.Retrieval", "HierRetrieval.Evaluation", "HierRetrieval.Export", "HierRetrieval.Runtime", "HierRetrieval.Backbones",
        "HierRetrieval.Training", "HierRetrieval.Runs", "HierRetrieval.MLNet", "HierRetrieval.Construction", "HierRetrieval.Studies", "HierRetrieval.Cli",
    ];

    [Test]
    public void References_PointOneWay_DownTheLayers()
    {
        var projects = Projects();
        Assert.That(projects.Select(p => p.Name), Is.EquivalentTo(LayerOrder), "every project has its place in the order");
        var upward = projects.SelectMany(p => p.References.Where(r => Array.IndexOf(LayerOrder, r) > Array.IndexOf(LayerOrder, p.Name)).Select(r => $"{p.Name} -> {r}"));
        Assert.That(upward, Is.Empty);
    }

    [Test]
    public void TorchSharp_IsReferencedByTheTrainingProjectAlone()
    {
        var torch = Projects().Where(p => p.Packages.Any(package => package.StartsWith("TorchSharp", StringComparison.Ordinal) || package.StartsWith("libtorch", StringComparison.Ordinal)));
        Assert.That(torch.Select(p => p.Name), Is.EqualTo(new[] { "HierRetrieval.Training" }));
    }

    [Test]
    public void ArchitectureDocument_ShowsTheGraphOfTheProjectFiles()
    {
        string text = File.ReadAllText(Document);
        int begin = text.IndexOf(Begin, StringComparison.Ordinal), end = text.IndexOf(End, StringComparison.Ordinal);
        Assert.That(begin >= 0 && end > begin, Is.True, $"{Document} marks the generated part with {Begin} and {End}");
        string generated = Generate(Projects());
        string current = text[(begin + Begin.Length)..end];
        if (current != generated && Environment.GetEnvironmentVariable("HIERRET_UPDATE_ARCHITECTURE") == "1")
        {
            File.WriteAllText(Document, text[..(begin + Begin.Length)] + generated + text[end..]);
            return;
        }

        Assert.That(current, Is.EqualTo(generated), "docs/architecture.md is out of date: run the tests with HIERRET_UPDATE_ARCHITECTURE=1");
    }

    private sealed record Project(string Name, string Folder, bool Packable, IReadOnlyList<string> References, IReadOnlyList<string> Packages);

    private static List<Project> Projects() =>
    [
        .. new[] { "src", "studies" }
            .SelectMany(tree => Directory.GetFiles(Path.Combine(Repository.Root, tree), "*.csproj", SearchOption.AllDirectories))
            .Select(Read)
            .OrderBy(p => Array.IndexOf(LayerOrder, p.Name)),
    ];

    private static Project Read(string path)
    {
        var xml = XDocument.Load(path);
        string folder = Path.GetRelativePath(Repository.Root, Path.GetDirectoryName(Path.GetDirectoryName(path))!).Replace('\\', '/');
        string[] references = [.. xml.Descendants("ProjectReference").Select(r => Path.GetFileNameWithoutExtension(r.Attribute("Include")!.Value))];
        string[] packages = [.. xml.Descendants("PackageReference").Select(r => r.Attribute("Include")!.Value)];
        return new Project(Path.GetFileNameWithoutExtension(path), folder, folder.StartsWith("src", StringComparison.Ordinal), references, packages);
    }

    private static string Short(string name) => name.Replace("HierRetrieval.", "", StringComparison.Ordinal);

    /// <summary>A Mermaid graph (layers as boxes, references as arrows) and a table of references and NuGet packages.</summary>
    private static string Generate(IReadOnlyList<Project> projects)
    {
        var text = new StringBuilder("\n\n```mermaid\nflowchart BT\n");
        foreach (var layer in projects.GroupBy(p => p.Folder))
        {
            text.Append(CultureInfo.InvariantCulture, $"  subgraph {layer.Key.Replace('/', '_').Replace('-', '_')}[\"{layer.Key}/\"]\n");
            foreach (var project in layer)
            {
                text.Append(CultureInfo.InvariantCulture, $"    {Short(project.Name)}[\"{project.Name}\"]\n");
            }

            text.Append("  end\n");
        }

        foreach (var project in projects)
        {
            foreach (string reference in project.References)
            {
                text.Append(CultureInfo.InvariantCulture, $"  {Short(project.Name)} --> {Short(reference)}\n");
            }
        }

        text.Append("```\n\n| project | folder | NuGet package | references | packages it references |\n|---|---|---|---|---|\n");
        foreach (var project in projects)
        {
            string package = project.Name == "HierRetrieval.Cli" ? "`hierret` (.NET tool)" : project.Packable ? $"`{project.Name}`" : "not packed";
            string references = project.References.Count == 0 ? "none" : string.Join(", ", project.References.Select(Short));
            string packages = project.Packages.Count == 0 ? "none" : string.Join(", ", project.Packages);
            text.Append(CultureInfo.InvariantCulture, $"| `{project.Name}` | `{project.Folder}/` | {package} | {references} | {packages} |\n");
        }

        return text.Append('\n').ToString();
    }
}
