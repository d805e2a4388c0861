namespace HierRetrieval.Training.Recipes;

/// <summary>Which training pairs a stage draws its batches from.</summary>
public enum StagePairs
{
    /// <summary>Every training pair, shuffled.</summary>
    All,

    /// <summary>Pairs below the far threshold (self pairs included).</summary>
    Near,

    /// <summary>Pairs at the far threshold or beyond.</summary>
    Far,

    /// <summary>Every training pair, with far pairs oversampled to <see cref="StageOptions.FarFraction"/> of each batch.</summary>
    Rebalanced,
}

/// <summary>
/// Settings of one training stage: which pairs, how many steps, at which learning rate and temperature, how often it
/// validates and when it stops. A recipe is a list of stages (see <see cref="TrainingRecipes"/>); each stage starts
/// where the previous one's kept parameters left off, with a fresh optimizer.
/// </summary>
public sealed record StageOptions
{
    /// <summary>The stage's name in logs, curves and output files ("pretrain", "finetune", "train").</summary>
    public string Name { get; init; } = "train";

    /// <summary>The pairs its batches come from.</summary>
    public StagePairs Pairs { get; init; } = StagePairs.All;

    /// <summary>Optimizer steps (batches); early stopping may end the stage sooner.</summary>
    public int Steps { get; init; } = 8000;

    /// <summary>Adam's step size.</summary>
    public double LearningRate { get; init; } = 1e-2;

    /// <summary>Temperature T of the softmax loss.</summary>
    public double Temperature { get; init; } = 20;

    /// <summary>Steps between validation points (the stage's start and end are always validated).</summary>
    public int ValidationInterval { get; init; } = 500;

    /// <summary>Whether in-batch candidates that truly match a query are removed from its negatives.</summary>
    public bool MaskFalseNegatives { get; init; } = true;

    /// <summary>Which validation score keeps the stage's best parameters, and the patience.</summary>
    public EarlyStoppingCriterion EarlyStopping { get; init; } = new() { Patience = 4 };

    /// <summary>Fraction of each batch drawn from far pairs (<see cref="StagePairs.Rebalanced"/> only).</summary>
    public double FarFraction { get; init; } = 0.5;

    /// <summary>Throws <see cref="ArgumentException"/> naming the first invalid setting of stage <paramref name="index"/>.</summary>
    public void Validate(int index)
    {
        string Name(string setting) => $"Stages[{index}].{setting}";
        OptionCheck.Require(!string.IsNullOrWhiteSpace(this.Name), Name(nameof(this.Name)), "must not be empty");
        OptionCheck.Require(Enum.IsDefined(Pairs), Name(nameof(Pairs)), $"unknown pair set {Pairs}");
        OptionCheck.Require(Steps >= 1, Name(nameof(Steps)), $"must be at least 1 (got {Steps})");
        OptionCheck.Require(LearningRate is > 0 and <= float.MaxValue, Name(nameof(LearningRate)), $"must be positive and at most {float.MaxValue:G3}, a float (got {LearningRate})");
        OptionCheck.Require(Temperature is > 0 and <= float.MaxValue, Name(nameof(Temperature)), $"must be positive and at most {float.MaxValue:G3}, a float (got {Temperature})");
        OptionCheck.Require(ValidationInterval >= 1, Name(nameof(ValidationInterval)), $"must be at least 1 (got {ValidationInterval})");
        OptionCheck.Require(FarFraction is >= 0 and <= 1, Name(nameof(FarFraction)), $"must be between 0 and 1 (got {FarFraction})");
        OptionCheck.Require(EarlyStopping.Patience >= 0, Name("EarlyStopping.Patience"), $"must be 0 or more (got {EarlyStopping.Patience})");
        OptionCheck.Require(EarlyStopping.MinWeight is >= 0 and <= 1, Name("EarlyStopping.MinWeight"), $"must be between 0 and 1 (got {EarlyStopping.MinWeight})");
    }
}
