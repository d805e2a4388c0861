using HierRetrieval.Evaluation;
using HierRetrieval.Runs.Validation;
using HierRetrieval.Training;

namespace HierRetrieval.Runs;

/// <summary>Settings of a <see cref="TrainingRun"/>: the trainer, validation, the test report and where outputs go.</summary>
public sealed record TrainingRunOptions
{
    /// <summary>The trainer's settings, stages included.</summary>
    public DualEncoderTrainerOptions Trainer { get; init; } = new();

    /// <summary>Which validation queries each point evaluates.</summary>
    public ValidationOptions Validation { get; init; } = new();

    /// <summary>The recipe's name, recorded in the manifest (null for a custom list of stages).</summary>
    public string? Recipe { get; init; }

    /// <summary>The protocol whose settings the run uses (<see cref="TrainingProtocols.Names"/>), recorded in the manifest; null for none.</summary>
    public string? Protocol { get; init; }

    /// <summary>
    /// Folder for the checkpoint and the outputs (<see cref="Outputs.RunFolder"/>); running again with the same
    /// settings resumes from its checkpoint. Null writes nothing unless <see cref="CheckpointPath"/> is set.
    /// </summary>
    public string? OutputFolder { get; init; }

    /// <summary>A checkpoint file for a run without an output folder (ignored when <see cref="OutputFolder"/> is set).</summary>
    public string? CheckpointPath { get; init; }

    /// <summary>Documents per query that the output folder's model zip retrieves (at most the number of nodes).</summary>
    public int TopK { get; init; } = 10;

    /// <summary>Settings of the test report (recall@k, buckets, threads); null skips the test report.</summary>
    public HierarchyEvaluatorOptions? Test { get; init; }
}
