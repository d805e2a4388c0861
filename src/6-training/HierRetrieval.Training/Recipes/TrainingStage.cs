using HierRetrieval.Data.Pairs;
using HierRetrieval.Training.Batching;

namespace HierRetrieval.Training.Recipes;

/// <summary>A stage ready to run: its settings and the sampler of its batches.</summary>
/// <param name="Options">The stage's settings.</param>
/// <param name="Sampler">Chooses each batch's pairs.</param>
internal sealed record TrainingStage(StageOptions Options, PairSampler Sampler)
{
    /// <summary>
    /// The stages of <paramref name="options"/> over the training pairs <paramref name="train"/>. Stage i shuffles with
    /// stream i, except that a far stage always uses stream 1 or more: the finetuning recipe alone then draws the same
    /// batches as finetuning after pretraining.
    /// </summary>
    /// <exception cref="ArgumentException">There are no training pairs, or a stage's pair set is empty.</exception>
    public static IReadOnlyList<TrainingStage> Plan(DualEncoderTrainerOptions options, PairSet train)
    {
        if (train.Count == 0)
        {
            throw new ArgumentException("there are no training pairs", nameof(train));
        }

        var partition = new Lazy<(PairSet Near, PairSet Far)>(() => train.PartitionByDistance(options.FarThreshold));
        return [.. options.Stages.Select((stage, i) => new TrainingStage(stage, stage.Pairs switch
        {
            StagePairs.All => PairSampler.Shuffled(train, options.Seed, stream: i),
            StagePairs.Near => PairSampler.Shuffled(Near(partition.Value.Near, stage, options), options.Seed, stream: i),
            StagePairs.Far => PairSampler.Shuffled(Far(partition.Value.Far, stage, options, train), options.Seed, stream: Math.Max(i, 1)),
            _ => PairSampler.Mixed(train, Far(partition.Value.Far, stage, options, train), stage.FarFraction, options.Seed, stream: i),
        }))];
    }

    private static PairSet Near(PairSet near, StageOptions stage, DualEncoderTrainerOptions options) =>
        near.Count > 0 ? near : throw new ArgumentException($"no training pair has distance below {options.FarThreshold}: the near set of stage '{stage.Name}' is empty", nameof(options));

    private static PairSet Far(PairSet far, StageOptions stage, DualEncoderTrainerOptions options, PairSet train)
    {
        if (far.Count == 0)
        {
            int largest = train.Pairs.ToArray().Max(p => p.Distance);
            throw new ArgumentException(
                $"no training pair has distance >= {options.FarThreshold} (the largest is {largest}): the far set of stage '{stage.Name}' is empty; lower the far threshold",
                nameof(options));
        }

        return far;
    }
}
