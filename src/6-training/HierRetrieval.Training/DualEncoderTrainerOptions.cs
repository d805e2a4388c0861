using HierRetrieval.Training.Batching;
using HierRetrieval.Training.Losses;
using HierRetrieval.Training.Optimization;
using HierRetrieval.Training.Recipes;

namespace HierRetrieval.Training;

/// <summary>
/// Settings of <see cref="DualEncoderTrainer"/>: what every stage shares (towers, batches, negatives, masking,
/// optimizer), and the recipe as a list of <see cref="Stages"/>. The defaults are the best WordNet settings measured
/// so far (docs/results-wordnet.md); every choice the paper leaves open is a setting here.
/// </summary>
public sealed record DualEncoderTrainerOptions
{
    /// <summary>Embedding dimension of both towers.</summary>
    public int Dimension { get; init; } = 64;

    /// <summary>The stages, run in order; the default is pretrain-finetune (<see cref="TrainingRecipes.Create"/>).</summary>
    public IReadOnlyList<StageOptions> Stages { get; init; } = TrainingRecipes.Create(TrainingRecipe.PretrainFinetune);

    /// <summary>Seed of initial values, batch order and sampled negatives.</summary>
    public int Seed { get; init; }

    /// <summary>Torch intra-op threads (default: all cores). Results are reproducible for the same seed and threads.</summary>
    public int Threads { get; init; } = Environment.ProcessorCount;

    /// <summary>Torch device: "cpu" (default) or "cuda", "cuda:1", ...</summary>
    public string Device { get; init; } = "cpu";

    /// <summary>Matched pairs per batch.</summary>
    public int BatchSize { get; init; } = 1024;

    /// <summary>Documents drawn uniformly from the whole corpus per batch as extra negatives shared by all its queries.</summary>
    public int RandomNegatives { get; init; } = 4096;

    /// <summary>
    /// Hard negatives per batch drawn from the hierarchy near the batch's queries (a child of a random ancestor
    /// that is not a match: siblings, uncles), shared by all its queries like the random negatives.
    /// </summary>
    public int NeighbourNegatives { get; init; }

    /// <summary>
    /// Which matches training knows about, for masking and neighbour negatives: the hierarchy's (default), the
    /// training pairs', or what the training pairs imply. The last two keep held-out pairs out of training.
    /// </summary>
    public MaskSource MaskSource { get; init; } = MaskSource.Hierarchy;

    /// <summary>Standard deviation of the initial table values.</summary>
    public double InitialScale { get; init; } = 0.05;

    /// <summary>Adam's betas and epsilon.</summary>
    public AdamSettings Adam { get; init; } = new();

    /// <summary>How the temperatures enter the logits.</summary>
    public TemperatureConvention TemperatureConvention { get; init; } = TemperatureConvention.Multiplier;

    /// <summary>Pairs at this distance or more are far: what far stages train on and rebalancing oversamples; below it, near.</summary>
    public int FarThreshold { get; init; } = 3;

    /// <summary>Throws <see cref="ArgumentException"/> naming the first invalid setting.</summary>
    public void Validate()
    {
        OptionCheck.Require(Dimension >= 1, nameof(Dimension), $"must be at least 1 (got {Dimension})");
        OptionCheck.Require(Stages is { Count: > 0 }, nameof(Stages), "must hold at least one stage");
        for (int i = 0; i < Stages.Count; i++)
        {
            Stages[i].Validate(i);
        }

        OptionCheck.Require(Stages.Select(s => s.Name).Distinct(StringComparer.Ordinal).Count() == Stages.Count, nameof(Stages), $"must have distinct names (got {string.Join(", ", Stages.Select(s => s.Name))})");
        OptionCheck.Require(Enum.IsDefined(MaskSource), nameof(MaskSource), $"unknown mask source {MaskSource}");
        OptionCheck.Require(Threads >= 1, nameof(Threads), $"must be at least 1 (got {Threads})");
        OptionCheck.Require(System.Text.RegularExpressions.Regex.IsMatch(Device, "^(cpu|cuda(:[0-9]+)?)$"), nameof(Device), $"must be cpu, cuda or cuda:<index> (got '{Device}')");
        OptionCheck.Require(BatchSize >= 2, nameof(BatchSize), $"must be at least 2 (got {BatchSize})");
        OptionCheck.Require(RandomNegatives >= 0, nameof(RandomNegatives), $"must be 0 or more (got {RandomNegatives})");
        OptionCheck.Require(NeighbourNegatives >= 0, nameof(NeighbourNegatives), $"must be 0 or more (got {NeighbourNegatives})");
        OptionCheck.Require(InitialScale > 0, nameof(InitialScale), $"must be positive (got {InitialScale})");
        OptionCheck.Require(FarThreshold >= 1, nameof(FarThreshold), $"must be at least 1 (got {FarThreshold})");
    }
}
