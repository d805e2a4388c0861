using static TorchSharp.torch;

namespace HierRetrieval.Training.Losses;

/// <summary>
/// Softmax cross-entropy over in-batch negatives (sentence-transformers' MultipleNegativesRankingLoss): query k's
/// positive is candidate k, every other candidate is a negative unless the mask marks it a true match.
/// </summary>
/// <remarks>
/// Inputs: queries (B, dim) and candidates (C, dim), unit norm, C &gt;= B; candidates 0..B-1 are the positives of
/// queries 0..B-1 and any further candidates are extra negatives. logits[k, j] = T x &lt;q_k, c_j&gt; (or / T),
/// masked entries are set to -inf, and the loss is the mean over k of -log softmax(logits[k])[k].
/// </remarks>
public sealed class InBatchSoftmaxLoss(double temperature, TemperatureConvention convention = TemperatureConvention.Multiplier)
{
    /// <summary>The temperature T.</summary>
    public double Temperature { get; } = temperature > 0 ? temperature : throw new ArgumentOutOfRangeException(nameof(temperature), "the temperature must be positive");

    /// <summary>How T enters the logits.</summary>
    public TemperatureConvention Convention { get; } = convention;

    /// <summary>The mean loss over the batch, a scalar in the autograd graph.</summary>
    /// <param name="queries">(B, dim) query embeddings.</param>
    /// <param name="candidates">(C, dim) candidate document embeddings; row k is query k's positive.</param>
    /// <param name="falseNegatives">(B, C) bool, true where a candidate other than the positive also matches the query; null for no masking.</param>
    public Tensor Compute(Tensor queries, Tensor candidates, Tensor? falseNegatives)
    {
        long batch = queries.shape[0];
        if (candidates.shape[0] < batch)
        {
            throw new ArgumentException($"{candidates.shape[0]} candidates for {batch} queries: every query needs its positive", nameof(candidates));
        }

        using var scope = NewDisposeScope();
        var cosine = queries.matmul(candidates.t()); // (B, C)
        var logits = Convention == TemperatureConvention.Multiplier ? cosine.mul(Temperature) : cosine.div(Temperature);
        if (falseNegatives is not null)
        {
            logits = logits.masked_fill(falseNegatives, double.NegativeInfinity);
        }

        var targets = arange(batch, dtype: ScalarType.Int64, device: queries.device);
        return nn.functional.cross_entropy(logits, targets).MoveToOuterDisposeScope();
    }
}
