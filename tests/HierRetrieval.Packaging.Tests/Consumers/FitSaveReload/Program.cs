// Fits a dual encoder with the HierRetrieval.MLNet package, saves the zip, reloads it in a fresh MLContext and
// evaluates the held-out pairs. Usage: FitSaveReload <folder>
using System.Globalization;
using HierRetrieval.Data.Datasets;
using HierRetrieval.Data.Pairs;
using HierRetrieval.MLNet;
using HierRetrieval.MLNet.Evaluation;
using HierRetrieval.Training;
using HierRetrieval.Training.Recipes;
using Microsoft.ML;
using Microsoft.ML.Data;

string folder = args[0];
var hierarchy = HierarchyCatalog.Load("wordnet-mammals");
var split = PairSplitter.Split(hierarchy.Closure, new PairSplitOptions { Seed = 0, ValidationFraction = 0, TestFraction = 0.1 });
string pairsPath = Path.Combine(folder, "pairs.tsv"), zip = Path.Combine(folder, "model.zip");
using (var writer = new StreamWriter(pairsPath))
{
    PairTable.Write(hierarchy, PairSet.All(hierarchy.Closure), split.Test, writer);
}

var mlContext = new MLContext(seed: 0);
var estimator = mlContext.HierarchicalRetrieval().Trainers.DualEncoder(new DualEncoderOptions
{
    TopK = 20,
    HeldOutColumnName = nameof(PairRow.Held),
    Trainer = new DualEncoderTrainerOptions
    {
        Dimension = 16,
        Stages = TrainingRecipes.Create(
            TrainingRecipe.PretrainFinetune,
            TrainingRecipes.Pretrain with { Steps = 400, ValidationInterval = 200 },
            TrainingRecipes.Finetune with { Steps = 40, ValidationInterval = 20 }),
        BatchSize = 256,
        RandomNegatives = 256,
        Threads = 2,
    },
});
using (var model = estimator.Fit(mlContext.Data.LoadFromTextFile<PairRow>(pairsPath, hasHeader: true, separatorChar: '\t')))
{
    model.Save(mlContext, zip);
}

var fresh = new MLContext(seed: 0);
var loaded = fresh.Model.Load(zip, out _);
var scored = loaded.Transform(fresh.Data.LoadFromTextFile<PairRow>(pairsPath, hasHeader: true, separatorChar: '\t'));
var metrics = fresh.HierarchicalRetrieval().Evaluate(scored, new RetrievalEvaluatorOptions { EvaluatedColumnName = nameof(PairRow.Held), DistanceBucketCap = 8 });
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"held-out pairs {metrics.Pairs}, overall {metrics.Overall:F4}, min {metrics.Min:F4}"));

/// <summary>A row of the pairs table.</summary>
internal sealed class PairRow
{
    [LoadColumn(0)]
    public string Query { get; set; } = "";

    [LoadColumn(1)]
    public string Document { get; set; } = "";

    [LoadColumn(2)]
    public int Distance { get; set; }

    [LoadColumn(3)]
    public bool Held { get; set; }
}
