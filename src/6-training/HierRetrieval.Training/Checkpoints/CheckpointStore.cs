using Microsoft.Extensions.Logging;

namespace HierRetrieval.Training.Checkpoints;

/// <summary>
/// Where a run keeps its checkpoint: saves the progress and tensors atomically, and resumes only a checkpoint whose
/// fingerprint (settings, data sizes, validation, starting point) equals this run's. No path: nothing is kept.
/// </summary>
internal sealed class CheckpointStore(string? path, string fingerprint, ILogger logger)
{
    /// <summary>The checkpoint file, or null when the run keeps none.</summary>
    public string? Path { get; } = path;

    /// <summary>Writes the checkpoint (atomically) when the run keeps one.</summary>
    public void Save(TrainingProgressState state, IReadOnlyList<Towers.NamedTensor> tensors)
    {
        if (Path is not null)
        {
            state.Fingerprint = fingerprint;
            TrainingCheckpoint.Save(Path, state, tensors);
        }
    }

    /// <summary>Loads the checkpoint into <paramref name="tensors"/> and returns its progress, or null when there is none to resume.</summary>
    /// <exception cref="InvalidDataException">The file is not a checkpoint, or belongs to another run.</exception>
    public TrainingProgressState? Resume(IReadOnlyList<Towers.NamedTensor> tensors)
    {
        if (Path is null || !File.Exists(Path))
        {
            return null;
        }

        var state = TrainingCheckpoint.Load(Path, tensors);
        if (state.Fingerprint != fingerprint)
        {
            throw new InvalidDataException(
                $"{Path}: the checkpoint belongs to a run with other settings or data; use the same settings, or another output folder");
        }

        logger.LogInformation("resumed from {Checkpoint}: stage {Stage}, step {Step}", Path, state.StageIndex, state.StageStep);
        return state;
    }
}
