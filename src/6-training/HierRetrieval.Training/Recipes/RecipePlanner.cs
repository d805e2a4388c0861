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

        bool twoStages = options.Recipe is TrainingRecipe.PretrainFinetune or TrainingRecipe.NearThenFar;
        var first = new TrainingStage(
            twoStages ? "pretrain" : "train",
            options.Recipe switch
            {
                TrainingRecipe.Rebalanced => PairSampler.Mixed(train, FarPairs(options, train), options.FarFraction, options.Seed, stream: 0),
                TrainingRecipe.NearThenFar => PairSampler.Shuffled(NearPairs(options, train), options.Seed, stream: 0),
                _ => PairSampler.Shuffled(train, options.Seed, stream: 0),
            },
            options.Steps,
            options.LearningRate,
            options.Temperature,
            options.ValidationInterval,
            options.MaskFalseNegatives,
            options.EarlyStopping);
        return twoStages ? [first, Finetune()] : [first];
    }

    /// <summary>Training pairs below the far threshold (self pairs included).</summary>
    /// <exception cref="ArgumentException">There are none.</exception>
    private static PairSet NearPairs(DualEncoderTrainerOptions options, PairSet train)
    {
        var near = train.PartitionByDistance(options.FarThreshold).Near;
        return near.Count > 0 ? near : throw new ArgumentException($"no training pair has distance below {options.FarThreshold}: the near set for {options.Recipe} is empty", nameof(options));
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
