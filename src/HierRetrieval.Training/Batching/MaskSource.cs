namespace HierRetrieval.Training.Batching;

/// <summary>Which matches false-negative masking knows about.</summary>
public enum MaskSource
{
    /// <summary>Every match of the hierarchy, held-out pairs included: a held-out ancestor is never a negative.</summary>
    Hierarchy,

    /// <summary>
    /// Only the training pairs: a held-out ancestor is a negative like any non-match, so nothing about the held-out
    /// pairs reaches training. The protocol for measuring how well held-out links are predicted.
    /// </summary>
    Training,

    /// <summary>
    /// What the training pairs imply: their transitive closure (q matches a when a chain of training pairs leads from
    /// q to a). Nothing held out reaches training, and a held-out ancestor that training implies is not a negative.
    /// </summary>
    Implied,
}
