using HierRetrieval.Training.Checkpoints;
using HierRetrieval.Training.Recipes;
using static TorchSharp.torch;

namespace HierRetrieval.Training.Validation;

/// <summary>
/// Early stopping within a stage: keeps a copy of the parameters with the best validation score, counts validation
/// points without improvement against the stage's patience, and puts the best copy back when the stage ends. Its
/// counters live in the run's <see cref="TrainingProgressState"/>, so a resumed run continues them.
/// </summary>
internal sealed class EarlyStopping : IDisposable
{
    private readonly IReadOnlyList<Tensor> _parameters;
    private readonly List<Tensor> _best;

    /// <param name="parameters">The live parameters of both towers, in a fixed order.</param>
    public EarlyStopping(IReadOnlyList<Tensor> parameters)
    {
        _parameters = parameters;
        _best = [.. parameters.Select(p => zeros_like(p))];
    }

    /// <summary>The best copies, in the order of the parameters: what a checkpoint must hold.</summary>
    public IReadOnlyList<Tensor> Best => _best;

    /// <summary>Records a validation point's <paramref name="score"/>: a new best is copied; otherwise the patience may end the stage.</summary>
    public void Observe(TrainingProgressState state, EarlyStoppingCriterion criterion, double score)
    {
        if (score > state.BestScore)
        {
            state.BestScore = score;
            state.BestStageStep = state.StageStep;
            state.PointsSinceBest = 0;
            state.HasBest = true;
            Copy(_parameters, _best);
        }
        else if (criterion.Patience > 0 && ++state.PointsSinceBest >= criterion.Patience)
        {
            state.StageStopped = true;
        }
    }

    /// <summary>At the end of a stage: puts the best parameters back (when there was a validation point) and returns the summary.</summary>
    public StageSummary Finish(TrainingProgressState state, string stageName)
    {
        if (state.HasBest)
        {
            Copy(_best, _parameters);
        }

        return new StageSummary(stageName, state.StageStep, state.HasBest ? state.BestStageStep : state.StageStep, state.HasBest ? state.BestScore : double.NaN);
    }

    /// <summary>Clears the counters for the next stage.</summary>
    public static void Reset(TrainingProgressState state)
    {
        state.HasBest = false;
        state.BestScore = double.NegativeInfinity;
        state.BestStageStep = 0;
        state.PointsSinceBest = 0;
        state.StageStopped = false;
    }

    /// <summary>Releases the copies.</summary>
    public void Dispose() => _best.ForEach(t => t.Dispose());

    private static void Copy(IReadOnlyList<Tensor> from, IReadOnlyList<Tensor> to)
    {
        using var noGrad = no_grad();
        for (int i = 0; i < from.Count; i++)
        {
            to[i].copy_(from[i]);
        }
    }
}
