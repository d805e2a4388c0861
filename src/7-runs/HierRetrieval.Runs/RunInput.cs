using HierRetrieval.Data.Hierarchies;
using HierRetrieval.Runs.Splits;

namespace HierRetrieval.Runs;

/// <summary>What a training run learns from: node names, the closure of every known match, and how its pairs are split.</summary>
public sealed class RunInput
{
    private readonly Lazy<RunSplit> _split;

    /// <summary>Describes the data; the split is computed once, when first used.</summary>
    /// <param name="source">What the data is called in the manifest (a hierarchy name, spec or path).</param>
    /// <param name="names">Node i's name (its id), for model files and zips.</param>
    /// <param name="closure">Every known match: test metrics use it.</param>
    /// <param name="policy">How the pairs are divided.</param>
    /// <exception cref="ArgumentException">Names and closure differ in size.</exception>
    public RunInput(string source, IReadOnlyList<string> names, TransitiveClosure closure, SplitPolicy policy)
    {
        if (names.Count != closure.NodeCount)
        {
            throw new ArgumentException($"{names.Count} names for a closure of {closure.NodeCount} nodes", nameof(names));
        }

        Source = source;
        Names = names;
        Closure = closure;
        Policy = policy;
        _split = new Lazy<RunSplit>(() => policy.Apply(closure));
    }

    /// <summary>What the data is called in the manifest.</summary>
    public string Source { get; }

    /// <summary>Node names, row i = node i.</summary>
    public IReadOnlyList<string> Names { get; }

    /// <summary>Every known match.</summary>
    public TransitiveClosure Closure { get; }

    /// <summary>How the pairs are divided.</summary>
    public SplitPolicy Policy { get; }

    /// <summary>The training, validation and test pairs (computed on first use, e.g. to fit a featurizer on the nodes training sees).</summary>
    public RunSplit Split => _split.Value;

    /// <summary>A hierarchy's nodes and closure, split by <paramref name="policy"/>.</summary>
    public static RunInput ForHierarchy(string source, Hierarchy hierarchy, SplitPolicy policy) => new(source, hierarchy.Ids, hierarchy.Closure, policy);
}
