using HierRetrieval.Training.Batching;
using HierRetrieval.Training.Losses;
using HierRetrieval.Training.Optimization;
using HierRetrieval.Training.Recipes;

namespace HierRetrieval.Training;

/// <summary>
/// Settings of <see cref="DualEncoderTrainer"/>. The defaults are the best WordNet settings measured so far
/// (docs/results-wordnet.md); every choice the paper leaves open is a setting here.
/// </summary>
public sealed record DualEncoderTrainerOptions
{
    /// <summary>Embedding dimension of both towers.</summary>
    public int Dimension { get; init; } = 64;

    /// <summary>The recipe.</summary>
    public TrainingRecipe Recipe { get; init; } = TrainingRecipe.PretrainFinetune;

    /// <summary>Seed of initial values, batch order and sampled negatives.</summary>
    public int Seed { get; init; }

    /// <summary>Torch intra-op threads and evaluation threads (default: all cores). Results are reproducible for the same seed and threads.</summary>
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

    /// <summary>Whether in-batch candidates that truly match a query are removed from its negatives (first or only stage).</summary>
    public bool MaskFalseNegatives { get; init; } = true;

    /// <summary>Whether finetuning masks false negatives. Far pairs share few ancestors, so unmasked they are mostly duplicates of each other's positives.</summary>
    public bool FinetuneMaskFalseNegatives { get; init; } = true;

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

    /// <summary>Steps of the first (or only) stage.</summary>
    public int Steps { get; init; } = 8000;

    /// <summary>Learning rate of the first (or only) stage.</summary>
    public double LearningRate { get; init; } = 1e-2;

    /// <summary>Temperature of the first (or only) stage.</summary>
    public double Temperature { get; init; } = 20;

    /// <summary>Pairs at this distance or more are far: the finetuning set, and what rebalancing oversamples.</summary>
    public int FarThreshold { get; init; } = 3;

    /// <summary>Finetuning steps (pretrain-finetune).</summary>
    public int FinetuneSteps { get; init; } = 700;

    /// <summary>Finetuning learning rate; null means <see cref="LearningRate"/> / 1000.</summary>
    public double? FinetuneLearningRate { get; init; }

    /// <summary>Finetuning temperature.</summary>
    public double FinetuneTemperature { get; init; } = 500;

    /// <summary>Fraction of each batch drawn from far pairs (rebalanced).</summary>
    public double FarFraction { get; init; } = 0.5;

    /// <summary>Steps between validation points in the first stage.</summary>
    public int ValidationInterval { get; init; } = 500;

    /// <summary>Steps between validation points in finetuning.</summary>
    public int FinetuneValidationInterval { get; init; } = 50;

    /// <summary>Validation queries evaluated at each point (a seeded sample of the validation split; 0 = all).</summary>
    public int ValidationQueries { get; init; } = 4096;

    /// <summary>
    /// Validation pairs at this distance or more share one bucket (as the paper's last column, D8), so that min
    /// recall is not decided by a handful of the longest pairs; null keeps every distance apart.
    /// </summary>
    public int? ValidationDistanceCap { get; init; } = 8;

    /// <summary>Early stopping of the first stage.</summary>
    public EarlyStoppingCriterion EarlyStopping { get; init; } = new() { Patience = 4 };

    /// <summary>Early stopping of finetuning.</summary>
    public EarlyStoppingCriterion FinetuneEarlyStopping { get; init; } = new() { Patience = 4 };

    /// <summary>The finetuning learning rate in effect.</summary>
    public double EffectiveFinetuneLearningRate => FinetuneLearningRate ?? (LearningRate / 1000);

    /// <summary>Throws <see cref="ArgumentException"/> naming the first invalid setting.</summary>
    public void Validate()
    {
        Require(Dimension >= 1, nameof(Dimension), $"must be at least 1 (got {Dimension})");
        Require(Enum.IsDefined(Recipe), nameof(Recipe), $"unknown recipe {Recipe}");
        Require(Enum.IsDefined(MaskSource), nameof(MaskSource), $"unknown mask source {MaskSource}");
        Require(Threads >= 1, nameof(Threads), $"must be at least 1 (got {Threads})");
        Require(System.Text.RegularExpressions.Regex.IsMatch(Device, "^(cpu|cuda(:[0-9]+)?)$"), nameof(Device), $"must be cpu, cuda or cuda:<index> (got '{Device}')");
        Require(BatchSize >= 2, nameof(BatchSize), $"must be at least 2 (got {BatchSize})");
        Require(RandomNegatives >= 0, nameof(RandomNegatives), $"must be 0 or more (got {RandomNegatives})");
        Require(NeighbourNegatives >= 0, nameof(NeighbourNegatives), $"must be 0 or more (got {NeighbourNegatives})");
        Require(InitialScale > 0, nameof(InitialScale), $"must be positive (got {InitialScale})");
        Require(Steps >= 1, nameof(Steps), $"must be at least 1 (got {Steps})");
        Require(LearningRate > 0, nameof(LearningRate), $"must be positive (got {LearningRate})");
        Require(Temperature > 0, nameof(Temperature), $"must be positive (got {Temperature})");
        Require(FarThreshold >= 1, nameof(FarThreshold), $"must be at least 1 (got {FarThreshold})");
        Require(FinetuneSteps >= 1, nameof(FinetuneSteps), $"must be at least 1 (got {FinetuneSteps})");
        Require(EffectiveFinetuneLearningRate > 0, nameof(FinetuneLearningRate), $"must be positive (got {FinetuneLearningRate})");
        Require(FinetuneTemperature > 0, nameof(FinetuneTemperature), $"must be positive (got {FinetuneTemperature})");
        Require(FarFraction is >= 0 and <= 1, nameof(FarFraction), $"must be between 0 and 1 (got {FarFraction})");
        Require(ValidationInterval >= 1, nameof(ValidationInterval), $"must be at least 1 (got {ValidationInterval})");
        Require(FinetuneValidationInterval >= 1, nameof(FinetuneValidationInterval), $"must be at least 1 (got {FinetuneValidationInterval})");
        Require(ValidationDistanceCap is null or >= 1, nameof(ValidationDistanceCap), $"must be at least 1 (got {ValidationDistanceCap})");
        Require(ValidationQueries >= 0, nameof(ValidationQueries), $"must be 0 or more (got {ValidationQueries})");
    }

    private static void Require(bool condition, string name, string reason)
    {
        if (!condition)
        {
            throw new ArgumentException($"{name} {reason}", name);
        }
    }
}
