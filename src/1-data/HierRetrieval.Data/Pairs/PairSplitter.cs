using HierRetrieval.Data.Hierarchies;

namespace HierRetrieval.Data.Pairs;

/// <summary>Where self pairs (q, q) go when a closure is split.</summary>
public enum SelfPairPolicy
{
    /// <summary>Every self pair goes to training; only the other pairs are split (the default: a leaf's document row is trained by its self pair alone).</summary>
    Train,

    /// <summary>Self pairs are split at random like every other pair.</summary>
    Split,

    /// <summary>Self pairs are left out of every split.</summary>
    Exclude,
}

/// <summary>Settings of a random pair split.</summary>
public sealed record PairSplitOptions
{
    /// <summary>Fraction of the split pairs that go to validation.</summary>
    public double ValidationFraction { get; init; } = 0.05;

    /// <summary>Fraction of the split pairs that go to test.</summary>
    public double TestFraction { get; init; } = 0.05;

    /// <summary>Seed of the shuffle.</summary>
    public int Seed { get; init; }

    /// <summary>Where self pairs go.</summary>
    public SelfPairPolicy SelfPairs { get; init; } = SelfPairPolicy.Train;
}

/// <summary>A split of matched pairs into train, validation and test sets.</summary>
public sealed record PairSplit(PairSet Train, PairSet Validation, PairSet Test);

/// <summary>Splits the matched pairs of a closure at random (a pair split, not a node split).</summary>
public static class PairSplitter
{
    /// <summary>Shuffles the pairs with the seed and cuts them by the fractions.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A fraction is negative or they sum to more than 1.</exception>
    public static PairSplit Split(TransitiveClosure closure, PairSplitOptions options)
    {
        if (options.ValidationFraction < 0 || options.TestFraction < 0 || options.ValidationFraction + options.TestFraction > 1)
        {
            throw new ArgumentOutOfRangeException(nameof(options), "validation and test fractions must be >= 0 and sum to at most 1");
        }

        var all = PairSet.All(closure, includeSelf: options.SelfPairs != SelfPairPolicy.Exclude).Pairs;
        var kept = new List<MatchedPair>();
        var shuffled = new List<MatchedPair>(all.Length);
        foreach (var pair in all)
        {
            (pair.Distance == 0 && options.SelfPairs == SelfPairPolicy.Train ? kept : shuffled).Add(pair);
        }

        var random = new Random(options.Seed);
        var span = System.Runtime.InteropServices.CollectionsMarshal.AsSpan(shuffled);
        random.Shuffle(span);
        int validation = (int)Math.Round(shuffled.Count * options.ValidationFraction);
        int test = (int)Math.Round(shuffled.Count * options.TestFraction);
        int train = shuffled.Count - validation - test;
        return new PairSplit(
            new PairSet(kept.Concat(shuffled.Take(train))),
            new PairSet(shuffled.Skip(train).Take(validation)),
            new PairSet(shuffled.Skip(train + validation)));
    }
}
