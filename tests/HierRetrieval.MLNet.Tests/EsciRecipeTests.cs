using HierRetrieval.Data.Esci;
using HierRetrieval.MLNet.Shopping;
using HierRetrieval.Training;
using HierRetrieval.Training.Recipes;
using HierRetrieval.Training.Towers;
using Microsoft.ML;

namespace HierRetrieval.MLNet.Tests;

public class EsciRecipeTests
{
    private static (EsciDataset Train, EsciDataset Test) Data()
    {
        var (examples, products) = EsciGenerator.Generate(new EsciGeneratorOptions { Families = 6, TypesPerFamily = 3, ProductsPerType = 10, QueriesPerType = 6, JudgementsPerLabel = 4, Seed = 11 });
        var report = new EsciReadReport();
        var exampleTable = new EsciTable<EsciExample>(examples, report);
        var productTable = new EsciTable<EsciProduct>(products, new EsciReadReport());
        return (EsciDataset.Join(exampleTable, productTable, new EsciLoadOptions { Split = "train" }), EsciDataset.Join(exampleTable, productTable, new EsciLoadOptions { Split = "test" }));
    }

    internal static EsciTrainingOptions Options(EsciRecipe recipe) => new()
    {
        Recipe = recipe,
        Trainer = new DualEncoderTrainerOptions
        {
            Dimension = 32, Steps = 300, BatchSize = 64, RandomNegatives = 64, LearningRate = 3e-3, Temperature = 20,
            FinetuneSteps = 300, FinetuneLearningRate = 3e-4, FinetuneTemperature = 100, ValidationInterval = 100, FinetuneValidationInterval = 50,
            FinetuneEarlyStopping = new EarlyStoppingCriterion { Metric = EarlyStoppingMetric.Min },
            Threads = 2, Seed = 3,
        },
        Towers = new TextTowerOptions { HiddenSize = 64 },
    };

    /// <summary>
    /// The generator makes each type's substitute a type of another family, so Exact pairs cannot teach it: only the
    /// Substitute stage can. Exact-only training finds no substitute; Exact then Substitute finds many.
    /// </summary>
    [Test]
    public void ExactThenSubstitute_RaisesSubstituteRecall_OverExactOnly()
    {
        var mlContext = new MLContext(seed: 1);
        var (train, test) = Data();
        var exactOnly = EsciEvaluator.Evaluate(EsciTrainer.Train(mlContext, train, Options(EsciRecipe.ExactOnly)), test, k: 10, threads: 2);
        var exactThenSubstitute = EsciEvaluator.Evaluate(EsciTrainer.Train(mlContext, train, Options(EsciRecipe.ExactThenSubstitute)), test, k: 10, threads: 2);
        TestContext.Out.WriteLine($"exact-only {exactOnly}\nexact-then-substitute {exactThenSubstitute}");
        Assert.Multiple(() =>
        {
            Assert.That(exactOnly.ExactRecall, Is.GreaterThan(0.5), "text towers learn Exact from scratch");
            Assert.That(exactThenSubstitute.SubstituteRecall, Is.GreaterThan(exactOnly.SubstituteRecall + 0.2));
        });
    }
}
