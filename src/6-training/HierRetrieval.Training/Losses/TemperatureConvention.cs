namespace HierRetrieval.Training.Losses;

/// <summary>How the temperature T enters the logits.</summary>
public enum TemperatureConvention
{
    /// <summary>logits = T x cosine (T = 20 sharpens; the paper's T = 500 in finetuning sharpens further). The default.</summary>
    Multiplier,

    /// <summary>logits = cosine / T (the textbook softmax temperature).</summary>
    Divisor,
}
