namespace HierRetrieval.Runs.Validation;

/// <summary>Settings of validation during training: which validation queries each point evaluates, and its buckets.</summary>
public sealed record ValidationOptions
{
    /// <summary>Validation queries evaluated at each point (a seeded sample of the validation split; 0 = all).</summary>
    public int Queries { get; init; } = 4096;

    /// <summary>
    /// Validation pairs at this distance or more share one bucket (as the paper's last column, D8), so that min
    /// recall is not decided by a handful of the longest pairs; null keeps every distance apart.
    /// </summary>
    public int? DistanceCap { get; init; } = 8;

    /// <summary>
    /// Min recall, which the min and weighted early-stopping criteria read, is taken over the distances from this one:
    /// 0 counts the self pair, 1 leaves it out as the paper's Min (D1..D8) does.
    /// </summary>
    public int MinFromDistance { get; init; }

    /// <summary>Throws <see cref="ArgumentException"/> naming the first invalid setting.</summary>
    public void Validate()
    {
        if (Queries < 0)
        {
            throw new ArgumentException($"{nameof(Queries)} must be 0 or more (got {Queries})", nameof(Queries));
        }

        if (MinFromDistance < 0)
        {
            throw new ArgumentException($"{nameof(MinFromDistance)} must be 0 or more (got {MinFromDistance})", nameof(MinFromDistance));
        }

        if (DistanceCap is < 1)
        {
            throw new ArgumentException($"{nameof(DistanceCap)} must be at least 1 (got {DistanceCap})", nameof(DistanceCap));
        }
    }
}
