namespace HierRetrieval.Runs.Shopping;

/// <summary>How a shopping model is trained from Exact and Substitute judgements.</summary>
public enum EsciRecipe
{
    /// <summary>Exact pairs only.</summary>
    ExactOnly,

    /// <summary>Exact and Substitute pairs mixed in one stage (the baseline).</summary>
    Mix,

    /// <summary>Pretrain on Exact pairs, then finetune on Substitute pairs at a low learning rate and a high temperature.</summary>
    ExactThenSubstitute,
}
