using HierRetrieval.Data.Datasets;
using HierRetrieval.Data.Hierarchies;
using HierRetrieval.Data.Pairs;
using HierRetrieval.Training;
using HierRetrieval.Training.Recipes;
using Microsoft.ML;

namespace HierRetrieval.MLNet.Tests;

/// <summary>One (query, document, distance) row of a training or evaluation view.</summary>
public sealed class PairRow
{
    public string Query { get; set; } = "";

    public string Document { get; set; } = "";

    public int Distance { get; set; }
}

/// <summary>A small perfect tree as ML.NET pair rows, and a model fitted on it once for the whole fixture.</summary>
internal static class TreePairs
{
    public static Hierarchy Tree { get; } = SyntheticHierarchies.PerfectTree(branching: 3, height: 4);

    /// <summary>Every (node, ancestor) pair of the tree, self pairs included.</summary>
    public static PairRow[] All() =>
        [.. PairSet.All(Tree.Closure).Pairs.ToArray().Select(p => new PairRow { Query = Tree.IdOf(p.Query), Document = Tree.IdOf(p.Document), Distance = p.Distance })];

    public static DualEncoderOptions Options(int topK = 5) => new()
    {
        TopK = topK,
        ValidationFraction = 0.1,
        Trainer = new DualEncoderTrainerOptions
        {
            Dimension = 8,
            Stages = TrainingRecipes.Create(
                TrainingRecipe.PretrainFinetune,
                TrainingRecipes.Pretrain with { Steps = 300, ValidationInterval = 100 },
                TrainingRecipes.Finetune with { Steps = 60, ValidationInterval = 20 }),
            BatchSize = 64,
            RandomNegatives = 32,
            FarThreshold = 2,
            Threads = 1,
            Seed = 7,
        },
    };

    public static DualEncoderTransformer Fit(MLContext mlContext, DualEncoderOptions? options = null) =>
        mlContext.HierarchicalRetrieval().Trainers.DualEncoder(options ?? Options()).Fit(mlContext.Data.LoadFromEnumerable(All()));
}
