namespace HierRetrieval.Training.Recipes;

/// <summary>The named recipes; <see cref="TrainingRecipes.Create"/> turns one into its list of stages.</summary>
public enum TrainingRecipe
{
    /// <summary>One stage over all training pairs.</summary>
    Standard,

    /// <summary>One stage in which far pairs are oversampled at a mixing ratio.</summary>
    Rebalanced,

    /// <summary>Pretrain on all training pairs, then finetune on far pairs at a low learning rate and a high temperature.</summary>
    PretrainFinetune,

    /// <summary>The finetuning stage alone, to start from a pretrained model's embeddings.</summary>
    Finetune,

    /// <summary>
    /// Pretrain on near pairs only (distance below the far threshold), then finetune on far pairs: for data whose far
    /// pairs are a different relation, e.g. shopping's Exact then Substitute judgements.
    /// </summary>
    NearThenFar,
}
