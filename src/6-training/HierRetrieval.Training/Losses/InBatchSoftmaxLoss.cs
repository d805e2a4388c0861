using TorchSharp;
using static TorchSharp.torch;

namespace HierRetrieval.Training.Losses;

/// <summary>
/// Softmax cross-entropy over in-batch negatives (sentence-transformers' MultipleNegativesRankingLoss): query k's
/// positive is candidate k, every other candidate is a negative unless the mask marks it a true match.
/// </summary>
/// <remarks>
/// Inputs: queries (B, dim) and candidates (C, dim), unit norm, C &gt;= B; candidates 0..B-1 are the positives of
/// queries 0..B-1 and any further candidates are extra negatives. logits[k, j] = T x &lt;q_k, c_j&gt; (or / T),
/// masked entries are set to -1e30 (zero probability), and the loss is the mean over k of -log softmax(logits[k])[k].
/// </remarks>
public sealed class InBatchSoftmaxLoss(double temperature, TemperatureConvention convention = TemperatureConvention.Multiplier)
{
    // Masked logits get this value rather than -inf: libtorch rejects -inf as a float32 fill scalar, and
    // exp(-1e30 - max) is exactly 0 in float32 as well.
    private const double MaskedLogit = -1e30;

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

        // Scalars are created and disposed explicitly: a temporary Scalar can be finalised while libtorch still reads it.
        using Scalar scale = (Convention == TemperatureConvention.Multiplier ? Temperature : 1 / Temperature).ToScalar();
        using Scalar masked = MaskedLogit.ToScalar();
        var logits = queries.matmul(candidates.t()).mul_(scale); // (B, C)
        if (falseNegatives is not null)
        {
            logits = logits.masked_fill_(falseNegatives, masked);
        }

        // arange(stop) would pass temporary Scalars (start 0, step 1) to libtorch: give it held ones.
        using Scalar zero = 0L.ToScalar(), stop = batch.ToScalar(), one = 1L.ToScalar();
        var targets = arange(zero, stop, one, dtype: ScalarType.Int64, device: queries.device);
        return nn.functional.cross_entropy(logits, targets).MoveToOuterDisposeScope();
    }
}
