using HierRetrieval.Data.Pairs;
using HierRetrieval.Training.Batching;

namespace HierRetrieval.Training.Recipes;

/// <summary>Turns a recipe and its settings into training stages over a training split.</summary>
public static class RecipePlanner
{
    /// <summary>The stages of <see cref="DualEncoderTrainerOptions.Recipe"/> on <paramref name="train"/>.</summary>
    /// <exception cref="ArgumentException">There are no training pairs, or no far pairs where the recipe needs them.</exception>
    public static IReadOnlyList<TrainingStage> Plan(DualEncoderTrainerOptions options, PairSet train)
    {
        if (train.Count == 0)
        {
            throw new ArgumentException("there are no training pairs", nameof(train));
        }

        TrainingStage Finetune() => new(
            "finetune",
            PairSampler.Shuffled(FarPairs(options, train), options.Seed, stream: 1),
            options.FinetuneSteps,
            options.EffectiveFinetuneLearningRate,
            options.FinetuneTemperature,
            options.FinetuneValidationInterval,
            options.FinetuneMaskFalseNegatives,
            options.FinetuneEarlyStopping);
        if (options.Recipe == TrainingRecipe.Finetune)
        {
            return [Finetune()];
        }

        var first = new TrainingStage(
            options.Recipe == TrainingRecipe.PretrainFinetune ? "pretrain" : "train",
            options.Recipe == TrainingRecipe.Rebalanced
                ? PairSampler.Mixed(train, FarPairs(options, train), options.FarFraction, options.Seed, stream: 0)
                : PairSampler.Shuffled(train, options.Seed, stream: 0),
            options.Steps,
            options.LearningRate,
            options.Temperature,
            options.ValidationInterval,
            options.MaskFalseNegatives,
            options.EarlyStopping);
        return options.Recipe == TrainingRecipe.PretrainFinetune ? [first, Finetune()] : [first];
    }

    /// <summary>Training pairs at the far threshold or beyond.</summary>
    /// <exception cref="ArgumentException">There are none.</exception>
    private static PairSet FarPairs(DualEncoderTrainerOptions options, PairSet train)
    {
        var far = train.PartitionByDistance(options.FarThreshold).Far;
        if (far.Count == 0)
        {
            int largest = train.Pairs.ToArray().Max(p => p.Distance);
            throw new ArgumentException(
                $"no training pair has distance >= {options.FarThreshold} (the largest is {largest}): the far set for {options.Recipe} is empty; lower the far threshold",
                nameof(options));
        }

        return far;
    }
}
