namespace HierRetrieval.Training;

/// <summary>The loss became NaN or infinite; the last checkpoint (if any) is left as it was.</summary>
public sealed class TrainingDivergedException(string message) : Exception(message);
