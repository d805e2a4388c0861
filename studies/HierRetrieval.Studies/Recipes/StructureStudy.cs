using HierRetrieval.Data.Datasets;
using HierRetrieval.Data.Hierarchies;
using HierRetrieval.Data.Pairs;
using HierRetrieval.Evaluation;
using HierRetrieval.Runs;
using HierRetrieval.Runs.Splits;
using HierRetrieval.Training;
using HierRetrieval.Training.Recipes;

namespace HierRetrieval.Studies.Recipes;

/// <summary>Settings of <see cref="StructureStudy"/>: the hierarchies and the one training budget every one of them gets.</summary>
public sealed record StructureStudyOptions
{
    /// <summary>Hierarchy specs or names (<see cref="HierarchyCatalog"/>): perfect trees of several branchings and heights, random DAGs.</summary>
    public IReadOnlyList<string> Hierarchies { get; init; } =
        ["tree:W=2,H=10", "tree:W=3,H=7", "tree:W=5,H=5", "tree:W=10,H=4", "tree:W=30,H=3", "dag:N=1000,P=3,seed=1", "dag:N=1000,P=3,seed=1,p=0.5", "dag:N=3000,P=5,seed=2,p=0.3"];

    /// <summary>Embedding dimension.</summary>
    public int Dimension { get; init; } = 8;

    /// <summary>Pretraining steps (the standard recipe's model).</summary>
    public int Steps { get; init; } = 2000;

    /// <summary>Finetuning steps (the paper's budget).</summary>
    public int FinetuneSteps { get; init; } = 700;

    /// <summary>Pairs per batch.</summary>
    public int BatchSize { get; init; } = 256;

    /// <summary>Random negatives per batch.</summary>
    public int Negatives { get; init; } = 256;

    /// <summary>Seed of every run.</summary>
    public int Seed { get; init; }

    /// <summary>Torch and evaluation threads.</summary>
    public int Threads { get; init; } = Environment.ProcessorCount;
}

/// <summary>One hierarchy's result: its shape, and the standard and pretrain-finetune models under the paper-comparable protocol.</summary>
/// <param name="Hierarchy">The spec.</param>
/// <param name="Statistics">Nodes, depth, multi-parent nodes.</param>
/// <param name="FarThreshold">Pairs at this distance or more were far (half the deepest distance, rounded up, at least 2).</param>
/// <param name="Standard">The pretraining stage's model: what the standard recipe gives.</param>
/// <param name="PretrainFinetune">The recipe's model.</param>
/// <param name="PretrainSeconds">Step time of pretraining.</param>
/// <param name="FinetuneSeconds">Step time of finetuning.</param>
public sealed record StructureStudyRow(string Hierarchy, HierarchyStatistics Statistics, int FarThreshold, HierarchyRetrievalMetrics Standard, HierarchyRetrievalMetrics PretrainFinetune, double PretrainSeconds, double FinetuneSeconds);

/// <summary>
/// Where the recipe helps by structure: each hierarchy trains once under the paper-comparable protocol
/// (reconstruction, no masking in pretraining, finetuning on far pairs at the protocol's learning rate, kept by min recall,
/// validated 70 times);
/// the pretraining stage's model is the standard row, the final model the pretrain-finetune row.
/// </summary>
public static class StructureStudy
{
    /// <summary>Runs every hierarchy in turn; <paramref name="progress"/> hears each one's name when it starts.</summary>
    public static IReadOnlyList<StructureStudyRow> Run(StructureStudyOptions options, IProgress<string>? progress = null, CancellationToken cancellationToken = default)
    {
        var protocol = TrainingProtocols.SettingsOf(TrainingProtocol.PaperComparable);
        var rows = new List<StructureStudyRow>();
        foreach (string spec in options.Hierarchies)
        {
            progress?.Report(spec);
            var hierarchy = HierarchyCatalog.Load(spec);
            var statistics = hierarchy.GetStatistics();
            int farThreshold = Math.Max(2, (statistics.MaxDistance + 1) / 2);
            var first = TrainingRecipes.Pretrain with { Steps = options.Steps, ValidationInterval = Math.Max(1, options.Steps / 10), MaskFalseNegatives = protocol.MaskPretraining };
            var finetune = TrainingRecipes.Finetune with
            {
                Steps = options.FinetuneSteps,
                ValidationInterval = Math.Max(1, options.FinetuneSteps / 70),
                LearningRate = protocol.FinetuneLearningRate!.Value,
                EarlyStopping = TrainingRecipes.Finetune.EarlyStopping with { Metric = protocol.FinetuneCriterion },
            };
            var run = new TrainingRunOptions
            {
                Trainer = new DualEncoderTrainerOptions
                {
                    Dimension = options.Dimension,
                    Stages = TrainingRecipes.Create(TrainingRecipe.PretrainFinetune, first, finetune),
                    BatchSize = options.BatchSize,
                    RandomNegatives = options.Negatives,
                    FarThreshold = farThreshold,
                    Seed = options.Seed,
                    Threads = options.Threads,
                    MaskSource = protocol.MaskSource,
                },
                Protocol = TrainingProtocols.NameOf(TrainingProtocol.PaperComparable),
                Test = new HierarchyEvaluatorOptions { Threads = options.Threads, DistanceBucketCap = 8 },
            };
            var split = new PairSplitPolicy(new PairSplitOptions { ValidationFraction = protocol.ValidationFraction, TestFraction = protocol.TestFraction, Seed = options.Seed });
            var result = new TrainingRun(run).Train(RunInput.ForHierarchy(spec, hierarchy, split), cancellationToken: cancellationToken);
            var seconds = result.Training.StageSeconds;
            rows.Add(new StructureStudyRow(
                spec, statistics, farThreshold, result.EarlierStages.Single().Test!, result.Test!, seconds.GetValueOrDefault("pretrain"), seconds.GetValueOrDefault("finetune")));
        }

        return rows;
    }
}
