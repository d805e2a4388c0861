using HierRetrieval.Retrieval;
using HierRetrieval.Training.Reporting;

namespace HierRetrieval.Training;

/// <summary>What a stage did.</summary>
/// <param name="Name">The stage's name.</param>
/// <param name="StepsRun">Steps run before the stage ended (early stopping may end it before its plan).</param>
/// <param name="BestStep">Stage step of the kept parameters (0 = the stage's starting point).</param>
/// <param name="BestScore">Their validation score under the stage's criterion (NaN without validation).</param>
public sealed record StageSummary(string Name, int StepsRun, int BestStep, double BestScore);

/// <summary>A finished stage and the embeddings of the parameters it kept.</summary>
public sealed class StageCompletedEventArgs(StageSummary stage, bool isLast, NodeEmbeddings embeddings) : EventArgs
{
    /// <summary>Whether this was the recipe's last stage (its model is the result).</summary>
    public bool IsLast { get; } = isLast;

    /// <summary>What the stage did.</summary>
    public StageSummary Stage { get; } = stage;

    /// <summary>Query and document embeddings of every node after the stage.</summary>
    public NodeEmbeddings Embeddings { get; } = embeddings;
}

/// <summary>The outcome of <c>DualEncoderTrainer.Train</c>.</summary>
/// <param name="Embeddings">Query and document embeddings of every node from the kept parameters.</param>
/// <param name="Curve">The validation points.</param>
/// <param name="Stages">One summary per stage.</param>
/// <param name="StepsRun">Steps run by this call (fewer than the total when it resumed).</param>
/// <param name="TrainingTime">Wall time of this call's steps, validation excluded.</param>
/// <param name="PairsPerSecond">Training pairs processed per second of <paramref name="TrainingTime"/>.</param>
public sealed record TrainingResult(
    NodeEmbeddings Embeddings, TrainingCurve Curve, IReadOnlyList<StageSummary> Stages, long StepsRun, TimeSpan TrainingTime, double PairsPerSecond)
{
    /// <summary>Seconds of training steps (validation excluded) of each stage by name, over every call of a resumed run.</summary>
    public IReadOnlyDictionary<string, double> StageSeconds { get; init; } = new Dictionary<string, double>();
}
