namespace HierRetrieval.Training.Batching;

/// <summary>Which matches training knows about: what false-negative masking removes and neighbour negatives avoid.</summary>
public enum MaskSource
{
    /// <summary>
    /// Every match of the closure given to the trainer (the hierarchy's; in ML.NET, every pair of the table), held-out
    /// pairs included: a held-out ancestor is never a negative.
    /// </summary>
    Hierarchy,

    /// <summary>
    /// Only the training pairs: a held-out ancestor (validation or test) is a negative like any non-match, so nothing
    /// about the held-out pairs reaches training.
    /// </summary>
    Training,

    /// <summary>
    /// What the training pairs imply: their transitive closure (q matches a when a chain of training pairs leads from
    /// q to a). Nothing held out reaches training, and a held-out ancestor that training implies is not a negative.
    /// </summary>
    Implied,
}
