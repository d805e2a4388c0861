using HierRetrieval.Training.Batching;

namespace HierRetrieval.Training.Recipes;

/// <summary>One stage of a recipe: which pairs, how many steps, at which learning rate and temperature.</summary>
/// <param name="Name">"pretrain", "finetune" or "train".</param>
/// <param name="Sampler">Chooses each batch's pairs.</param>
/// <param name="Steps">Optimizer steps (batches).</param>
/// <param name="LearningRate">Adam's step size.</param>
/// <param name="Temperature">T of the softmax loss.</param>
/// <param name="ValidationInterval">Steps between validation points.</param>
/// <param name="MaskFalseNegatives">Whether in-batch candidates that truly match a query are removed from its negatives.</param>
/// <param name="EarlyStopping">Which validation score keeps the best checkpoint, and the patience.</param>
public sealed record TrainingStage(
    string Name,
    PairSampler Sampler,
    int Steps,
    double LearningRate,
    double Temperature,
    int ValidationInterval,
    bool MaskFalseNegatives,
    EarlyStoppingCriterion EarlyStopping);
