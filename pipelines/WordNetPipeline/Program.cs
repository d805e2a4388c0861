// An ML.NET pipeline for hierarchical retrieval on WordNet:
//   pairs TSV --LoadFromTextFile--> DualEncoder (pretrain-finetune) --Fit--> save model.zip --> Load in a new
//   MLContext --> Transform the pairs --> Evaluate the held-out ones --> recall by distance.
// The TSV holds every (synset, ancestor, distance) pair of the hierarchy; 10% are marked Held: Fit knows them as
// matches (masking never pushes them away) but does not train on them, and the evaluation counts only them.
// Usage: WordNetPipeline [hierarchy] [output folder] [pretraining steps]
// (defaults: wordnet-mammals, runs/wordnet-pipeline, 1500). The hierarchy is a built-in name or an edge-list file.
using System.Globalization;
using HierRetrieval.Data.Datasets;
using HierRetrieval.Data.Pairs;
using HierRetrieval.MLNet;
using HierRetrieval.MLNet.Evaluation;
using HierRetrieval.Training;
using HierRetrieval.Training.Recipes;
using Microsoft.ML;
using Microsoft.ML.Data;

string hierarchyName = args.Length > 0 ? args[0] : "wordnet-mammals";
string folder = args.Length > 1 ? args[1] : Path.Combine("runs", "wordnet-pipeline");
int steps = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 1500;
Directory.CreateDirectory(folder);

// 1. The pairs as a TSV file, 10% of them marked held out.
var hierarchy = HierarchyCatalog.Load(hierarchyName);
var split = PairSplitter.Split(hierarchy.Closure, new PairSplitOptions { Seed = 0, ValidationFraction = 0, TestFraction = 0.1 });
string pairsPath = Path.Combine(folder, "pairs.tsv");
using (var writer = new StreamWriter(pairsPath))
{
    PairTable.Write(hierarchy, PairSet.All(hierarchy.Closure), split.Test, writer);
}

Console.WriteLine($"{hierarchyName}: {hierarchy.Count:N0} nodes, {split.Train.Count + split.Test.Count:N0} pairs in {pairsPath}, {split.Test.Count:N0} held out");

// 2. Load, fit, save.
var mlContext = new MLContext(seed: 0);
var pairs = mlContext.Data.LoadFromTextFile<PairRow>(pairsPath, hasHeader: true, separatorChar: '\t');
var estimator = mlContext.HierarchicalRetrieval().Trainers.DualEncoder(new DualEncoderOptions
{
    TopK = 50,
    HeldOutColumnName = nameof(PairRow.Held),
    Trainer = new DualEncoderTrainerOptions
    {
        Dimension = 32,
        Stages = TrainingRecipes.Create(
            TrainingRecipe.PretrainFinetune,
            TrainingRecipes.Pretrain with { Steps = steps, ValidationInterval = 250 },
            TrainingRecipes.Finetune with { Steps = 200 }),
        BatchSize = 512,
        RandomNegatives = 1024,
        Seed = 0,
    },
    Progress = new ConsoleProgress(),
});
string zip = Path.Combine(folder, "model.zip");
using (var model = estimator.Fit(pairs))
{
    model.Save(mlContext, zip);
}

// 3. Reload in a new context (as another process would) and evaluate on the held-out pairs.
var freshContext = new MLContext(seed: 0);
var reloaded = freshContext.Model.Load(zip, out _);
var allPairs = freshContext.Data.LoadFromTextFile<PairRow>(pairsPath, hasHeader: true, separatorChar: '\t');
var metrics = freshContext.HierarchicalRetrieval().Evaluate(reloaded.Transform(allPairs), new RetrievalEvaluatorOptions { EvaluatedColumnName = nameof(PairRow.Held), DistanceBucketCap = 8 });

Console.WriteLine($"reloaded {zip}: held-out pairs {metrics.Pairs:N0} of {metrics.Queries:N0} queries, recall@|S(q)| by distance:");
foreach (var (distance, recall) in metrics.RecallByDistance)
{
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {(distance == 8 ? "8+" : distance.ToString(CultureInfo.InvariantCulture)),-3} {recall,8:P1}  ({metrics.PairsByDistance[distance]:N0} pairs)"));
}

Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"overall {metrics.Overall:P1}, min {metrics.Min:P1} at distance {metrics.MinDistance}, recall@{metrics.K} {metrics.RecallAtK:P1}, MAP {metrics.MeanAveragePrecision:F4}, NDCG@{metrics.K} {metrics.Ndcg:F4}"));
return 0;

/// <summary>A row of the pairs TSV.</summary>
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

/// <summary>Prints a line every 250 training steps.</summary>
internal sealed class ConsoleProgress : IProgress<TrainingProgress>
{
    public void Report(TrainingProgress value)
    {
        if (value.StageStep % 250 == 0)
        {
            Console.WriteLine($"  {value.Stage} step {value.StageStep}/{value.StageSteps}");
        }
    }
}
