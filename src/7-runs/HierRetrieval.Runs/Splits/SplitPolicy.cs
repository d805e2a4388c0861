using System.Text.Json.Serialization;
using HierRetrieval.Data.Hierarchies;
using HierRetrieval.Data.Pairs;

namespace HierRetrieval.Runs.Splits;

/// <summary>What a run trains, validates and tests on, from a closure of every known match.</summary>
/// <param name="TrainingClosure">
/// The matches training may know about (masking from the hierarchy, validation match sets): the whole closure,
/// except that held-out nodes are left out of it.
/// </param>
/// <param name="Split">Training, validation and test pairs.</param>
/// <param name="HeldOutNodes">Nodes left out of training entirely (their pairs and texts); empty for pair splits.</param>
public sealed record RunSplit(TransitiveClosure TrainingClosure, PairSplit Split, IReadOnlySet<int> HeldOutNodes);

/// <summary>
/// How a run divides a closure's pairs into training, validation and test. One policy per protocol: random pairs
/// (<c>hierret train</c>), whole nodes (retrieval from text), or pairs the caller holds out (the ML.NET estimators).
/// Policies are deterministic for their seed and are recorded in a run's manifest.
/// </summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "kind")]
[JsonDerivedType(typeof(PairSplitPolicy), "pairs")]
[JsonDerivedType(typeof(NodeSplitPolicy), "nodes")]
[JsonDerivedType(typeof(KnownHeldOutSplitPolicy), "known-held-out")]
public abstract record SplitPolicy
{
    /// <summary>Divides <paramref name="closure"/>'s pairs.</summary>
    public abstract RunSplit Apply(TransitiveClosure closure);
}

/// <summary>
/// A seeded random pair split (self pairs in training by default): a validation or test fraction of 0 means no
/// held-out pairs for that role, so validation or the test report uses all pairs (a reconstruction study). The
/// training pairs may then be thinned: only <see cref="NearFraction"/> of the near non-self pairs are kept.
/// </summary>
/// <param name="Pairs">Fractions, seed and self-pair policy.</param>
public sealed record PairSplitPolicy(PairSplitOptions Pairs) : SplitPolicy
{
    /// <summary>Fraction of the near non-self training pairs kept (1 = all; see <see cref="PairSet.ThinNear"/>).</summary>
    public double NearFraction { get; init; } = 1.0;

    /// <summary>Pairs below this distance are near, for thinning.</summary>
    public int FarThreshold { get; init; } = 3;

    /// <summary>Seed of the thinning.</summary>
    public int ThinningSeed { get; init; }

    /// <inheritdoc />
    public override RunSplit Apply(TransitiveClosure closure)
    {
        var split = PairSplitter.Split(closure, Pairs);
        if (Pairs.ValidationFraction == 0)
        {
            split = split with { Validation = PairSet.All(closure) };
        }

        if (Pairs.TestFraction == 0)
        {
            split = split with { Test = PairSet.All(closure) };
        }

        if (NearFraction < 1)
        {
            split = split with { Train = split.Train.ThinNear(FarThreshold, NearFraction, ThinningSeed) };
        }

        return new RunSplit(closure, split, new HashSet<int>());
    }
}

/// <summary>
/// Whole nodes held out: a seeded <see cref="HeldOutFraction"/> of the nodes that have ancestors leave training
/// (their pairs as query or document, so masking and validation do not know them either); the test pairs are the
/// held-out nodes' pairs to their ancestors, which they must retrieve from what they are (e.g. their text).
/// </summary>
/// <param name="HeldOutFraction">Fraction of the nodes with ancestors held out, in (0, 1).</param>
/// <param name="ValidationFraction">Fraction of the remaining non-self pairs held out for validation.</param>
/// <param name="Seed">Seed of both draws.</param>
public sealed record NodeSplitPolicy(double HeldOutFraction, double ValidationFraction, int Seed) : SplitPolicy
{
    /// <inheritdoc />
    /// <exception cref="ArgumentOutOfRangeException">A fraction is out of range.</exception>
    public override RunSplit Apply(TransitiveClosure closure)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(HeldOutFraction);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(HeldOutFraction, 1.0);
        var random = new Random(Seed);
        int[] candidates = [.. Enumerable.Range(0, closure.NodeCount).Where(n => closure.MatchSetSize(n) > 1)];
        var heldOut = random.GetItems(candidates, candidates.Length).Distinct().Take((int)Math.Round(candidates.Length * HeldOutFraction)).ToHashSet();
        var trainPairs = PairSet.All(closure).Pairs.ToArray().Where(p => !heldOut.Contains(p.Query) && !heldOut.Contains(p.Document));
        var trainClosure = TransitiveClosure.FromPairs(closure.NodeCount, trainPairs);
        var split = PairSplitter.Split(trainClosure, new PairSplitOptions { ValidationFraction = ValidationFraction, TestFraction = 0, Seed = Seed });
        split = new PairSplit(split.Train.Where(p => !heldOut.Contains(p.Query)), split.Validation, PairSet.ForQueries(closure, heldOut, includeSelf: false));
        return new RunSplit(trainClosure, split, heldOut);
    }
}

/// <summary>
/// Pairs the caller marks as held out (e.g. a test split in an ML.NET view) are known matches that are never
/// trained on: they stay in the closure, so masking knows them, while a seeded validation fraction of the other
/// non-self pairs is held out for early stopping. There is no test split.
/// </summary>
/// <param name="HeldOut">The held-out pairs.</param>
/// <param name="ValidationFraction">Fraction of the trainable non-self pairs held out for validation.</param>
/// <param name="Seed">Seed of the validation draw.</param>
public sealed record KnownHeldOutSplitPolicy(IReadOnlyList<MatchedPair> HeldOut, double ValidationFraction, int Seed) : SplitPolicy
{
    /// <inheritdoc />
    public override RunSplit Apply(TransitiveClosure closure)
    {
        var heldOut = HeldOut.Select(p => (p.Query, p.Document)).ToHashSet();
        var trainable = heldOut.Count == 0
            ? closure
            : TransitiveClosure.FromPairs(closure.NodeCount, [.. PairSet.All(closure, includeSelf: false).Pairs.ToArray().Where(p => !heldOut.Contains((p.Query, p.Document)))]);
        var split = PairSplitter.Split(trainable, new PairSplitOptions { ValidationFraction = ValidationFraction, TestFraction = 0, Seed = Seed });
        return new RunSplit(closure, split, new HashSet<int>());
    }
}
