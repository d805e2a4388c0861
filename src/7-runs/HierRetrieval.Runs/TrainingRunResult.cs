using HierRetrieval.Evaluation;
using HierRetrieval.Retrieval;
using HierRetrieval.Runs.Splits;
using HierRetrieval.Training;

namespace HierRetrieval.Runs;

/// <summary>A stage's kept model and, when the run has a test report, its test metrics.</summary>
/// <param name="Stage">What the stage did.</param>
/// <param name="Embeddings">The embeddings of every node after the stage.</param>
/// <param name="Test">Test metrics of those embeddings, or null without a test report.</param>
public sealed record StageModel(StageSummary Stage, NodeEmbeddings Embeddings, HierarchyRetrievalMetrics? Test);

/// <summary>What a <see cref="TrainingRun"/> produced.</summary>
/// <param name="Training">The trainer's result: the final embeddings, the curve, the stages and throughput.</param>
/// <param name="Split">The pairs it trained, validated and tested on.</param>
/// <param name="EarlierStages">Every stage before the last whose model is known (run in this call, or saved in the output folder by an earlier call).</param>
/// <param name="Test">Test metrics of the final model, or null without a test report or test pairs.</param>
public sealed record TrainingRunResult(TrainingResult Training, RunSplit Split, IReadOnlyList<StageModel> EarlierStages, HierarchyRetrievalMetrics? Test)
{
    /// <summary>The final embeddings of every node.</summary>
    public NodeEmbeddings Embeddings => Training.Embeddings;
}
