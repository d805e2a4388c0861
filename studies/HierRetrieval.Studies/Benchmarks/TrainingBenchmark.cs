using System.Diagnostics;
using HierRetrieval.Data.Hierarchies;
using HierRetrieval.Data.Pairs;
using HierRetrieval.Runs;
using HierRetrieval.Runs.Splits;
using HierRetrieval.Runs.Validation;
using HierRetrieval.Training;
using HierRetrieval.Training.Recipes;

namespace HierRetrieval.Studies.Benchmarks;

/// <summary>Training throughput and the process's peak resident memory.</summary>
/// <param name="Steps">Steps run.</param>
/// <param name="Seconds">Training time (validation excluded).</param>
/// <param name="PairsPerSecond">Training pairs per second.</param>
/// <param name="PeakResidentMegabytes">The process's peak resident memory so far.</param>
public sealed record TrainingBenchmarkResult(long Steps, double Seconds, double PairsPerSecond, double PeakResidentMegabytes)
{
    /// <summary>Steps per second.</summary>
    public double StepsPerSecond => Steps / Seconds;
}

/// <summary>Times a standard-recipe training run of lookup tables, validated only at its start and end on one query.</summary>
public static class TrainingBenchmark
{
    /// <summary>Trains <paramref name="steps"/> steps on <paramref name="hierarchy"/> with the shared settings of <paramref name="trainer"/>.</summary>
    public static TrainingBenchmarkResult Run(Hierarchy hierarchy, DualEncoderTrainerOptions trainer, int steps)
    {
        var options = new TrainingRunOptions
        {
            Trainer = trainer with { Stages = TrainingRecipes.Create(TrainingRecipe.Standard, TrainingRecipes.Pretrain with { Steps = steps, ValidationInterval = int.MaxValue }) },
            Validation = new ValidationOptions { Queries = 1 },
        };
        var result = new TrainingRun(options).Train(RunInput.ForHierarchy("benchmark", hierarchy, new PairSplitPolicy(new PairSplitOptions()))).Training;
        using var process = Process.GetCurrentProcess();
        return new TrainingBenchmarkResult(result.StepsRun, result.TrainingTime.TotalSeconds, result.PairsPerSecond, process.PeakWorkingSet64 / (1024.0 * 1024.0));
    }
}
