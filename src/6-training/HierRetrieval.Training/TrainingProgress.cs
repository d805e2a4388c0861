namespace HierRetrieval.Training;

/// <summary>Progress of a training run, reported after every step.</summary>
/// <param name="Stage">Name of the running stage.</param>
/// <param name="StageIndex">0-based index of the stage.</param>
/// <param name="StageCount">Number of stages in the recipe.</param>
/// <param name="StageStep">Steps done in this stage.</param>
/// <param name="StageSteps">Steps planned for this stage.</param>
/// <param name="Loss">Loss of the last step.</param>
/// <param name="ValidationOverall">Overall validation recall at the last validation point, if any.</param>
public sealed record TrainingProgress(
    string Stage, int StageIndex, int StageCount, long StageStep, long StageSteps, double Loss, double? ValidationOverall);
