namespace HierRetrieval.Training.Recipes;

/// <summary>
/// The recipes as lists of stages. Every stage setting is explicit in the list; these presets hold the defaults
/// measured on WordNet (docs/results-wordnet.md).
/// </summary>
public static class TrainingRecipes
{
    /// <summary>The first stage's defaults: all pairs, 8,000 steps at learning rate 1e-2 and temperature 20, validated every 500 steps.</summary>
    public static StageOptions Pretrain { get; } = new() { Name = "pretrain" };

    /// <summary>The finetuning stage's defaults: far pairs, 700 steps at learning rate 1e-5 and temperature 500, validated every 50 steps.</summary>
    public static StageOptions Finetune { get; } = new()
    {
        Name = "finetune",
        Pairs = StagePairs.Far,
        Steps = 700,
        LearningRate = 1e-5,
        Temperature = 500,
        ValidationInterval = 50,
    };

    /// <summary>The recipes by their names on the command line and in manifests.</summary>
    public static IReadOnlyDictionary<string, TrainingRecipe> Names { get; } = new Dictionary<string, TrainingRecipe>(StringComparer.Ordinal)
    {
        ["standard"] = TrainingRecipe.Standard,
        ["rebalanced"] = TrainingRecipe.Rebalanced,
        ["pretrain-finetune"] = TrainingRecipe.PretrainFinetune,
        ["finetune"] = TrainingRecipe.Finetune,
        ["near-then-far"] = TrainingRecipe.NearThenFar,
    };

    /// <summary>The name of <paramref name="recipe"/> in <see cref="Names"/>.</summary>
    public static string NameOf(TrainingRecipe recipe) => Names.First(n => n.Value == recipe).Key;

    /// <summary>
    /// The stages of <paramref name="recipe"/>. <paramref name="first"/> sets the first stage (pretraining, or the
    /// only stage) and <paramref name="finetune"/> the finetuning stage; the recipe sets their names and pairs. A
    /// missing finetuning stage is <see cref="Finetune"/> at a thousandth of the first stage's learning rate.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The recipe is unknown.</exception>
    public static IReadOnlyList<StageOptions> Create(TrainingRecipe recipe, StageOptions? first = null, StageOptions? finetune = null)
    {
        first ??= Pretrain;
        var last = (finetune ?? Finetune with { LearningRate = first.LearningRate / 1000 }) with { Name = "finetune", Pairs = StagePairs.Far };
        return recipe switch
        {
            TrainingRecipe.Standard => [first with { Name = "train", Pairs = StagePairs.All }],
            TrainingRecipe.Rebalanced => [first with { Name = "train", Pairs = StagePairs.Rebalanced }],
            TrainingRecipe.PretrainFinetune => [first with { Name = "pretrain", Pairs = StagePairs.All }, last],
            TrainingRecipe.Finetune => [last],
            TrainingRecipe.NearThenFar => [first with { Name = "pretrain", Pairs = StagePairs.Near }, last],
            _ => throw new ArgumentOutOfRangeException(nameof(recipe), recipe, "unknown recipe"),
        };
    }
}
