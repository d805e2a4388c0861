using System.Globalization;
using HierRetrieval.Data.Hierarchies;

namespace HierRetrieval.Data.Datasets;

/// <summary>
/// Resolves a hierarchy argument: a built-in name (<c>wordnet-nouns</c>, <c>wordnet-mammals</c>), a synthetic spec
/// (<c>tree:W=5,H=4</c>, <c>dag:N=1000,P=3,seed=1</c>) or the path of an edge-list file.
/// </summary>
public static class HierarchyCatalog
{
    /// <summary>The WordNet 3.0 noun hierarchy (82,115 synsets), shipped in this assembly.</summary>
    public const string WordNetNounsName = "wordnet-nouns";

    /// <summary>The WordNet mammal subtree: mammal.n.01 and its descendants (1,180 synsets).</summary>
    public const string WordNetMammalsName = "wordnet-mammals";

    /// <summary>A one-line description of every accepted form, for help texts and errors.</summary>
    public const string Forms = "wordnet-nouns, wordnet-mammals, tree:W=<branching>,H=<height>, dag:N=<nodes>,P=<max parents>[,seed=<S>][,p=<extra parent probability>], or the path of an edge-list file (child<TAB>parent per line)";

    private static readonly Lazy<Hierarchy> WordNet = new(() => WordNetNouns.ToHierarchy(WordNetNouns.ReadShippedArchive(), "wordnet-nouns.tsv.gz"));
    private static readonly Lazy<Hierarchy> Mammals = new(() => WordNet.Value.Subtree(WordNetNouns.MammalRoot, WordNetNouns.MammalExclusions));

    /// <summary>The names of the built-in hierarchies.</summary>
    public static IReadOnlyList<string> BuiltInNames { get; } = [WordNetNounsName, WordNetMammalsName];

    /// <summary>Loads the hierarchy named or described by <paramref name="nameOrPath"/>. Built-in hierarchies are cached.</summary>
    /// <exception cref="ArgumentException">A synthetic spec is malformed, or the argument names no built-in and no file.</exception>
    /// <exception cref="InvalidHierarchyException">The edge-list file is invalid.</exception>
    public static Hierarchy Load(string nameOrPath)
    {
        switch (nameOrPath)
        {
            case WordNetNounsName:
                return WordNet.Value;
            case WordNetMammalsName:
                return Mammals.Value;
        }

        if (nameOrPath.StartsWith("tree:", StringComparison.Ordinal))
        {
            var p = ParseSpec(nameOrPath, ["W", "H"], []);
            return SyntheticHierarchies.PerfectTree((int)p["W"], (int)p["H"]);
        }

        if (nameOrPath.StartsWith("dag:", StringComparison.Ordinal))
        {
            var p = ParseSpec(nameOrPath, ["N", "P"], new() { ["seed"] = 0, ["p"] = 0.3 });
            return SyntheticHierarchies.RandomDag((int)p["N"], (int)p["P"], (int)p["seed"], p["p"]);
        }

        if (File.Exists(nameOrPath))
        {
            return EdgeListReader.ReadFile(nameOrPath);
        }

        throw new ArgumentException($"hierarchy '{nameOrPath}' is not a built-in name, a synthetic spec or an existing file; use {Forms}", nameof(nameOrPath));
    }

    private static Dictionary<string, double> ParseSpec(string spec, string[] required, Dictionary<string, double> optional)
    {
        var values = new Dictionary<string, double>(optional, StringComparer.Ordinal);
        foreach (string part in spec[(spec.IndexOf(':', StringComparison.Ordinal) + 1)..].Split(',', StringSplitOptions.RemoveEmptyEntries))
        {
            string[] kv = part.Split('=');
            bool known = kv.Length == 2 && (required.Contains(kv[0]) || optional.ContainsKey(kv[0]));
            if (!known || !double.TryParse(kv[1], NumberStyles.Float, CultureInfo.InvariantCulture, out double value))
            {
                throw new ArgumentException($"'{part}' in '{spec}' is not one of {string.Join(", ", required.Concat(optional.Keys).Select(k => k + "=<number>"))}");
            }

            bool integral = kv[0] != "p";
            if (integral && value != Math.Floor(value))
            {
                throw new ArgumentException($"'{part}' in '{spec}' must be an integer");
            }

            values[kv[0]] = value;
        }

        string[] missing = [.. required.Where(k => !values.ContainsKey(k))];
        return missing.Length == 0 ? values : throw new ArgumentException($"'{spec}' lacks {string.Join(", ", missing.Select(k => k + "=<number>"))}");
    }
}
