using static TorchSharp.torch;

namespace HierRetrieval.Training.Optimization;

/// <summary>
/// Adam applied to selected rows of a table ("lazy" Adam, as PyTorch's SparseAdam): only the rows a batch touched
/// have their moments and values updated; other rows keep their state until a batch touches them. For an
/// 82,115-row table and a batch of a few thousand rows this is several times faster than dense Adam and keeps
/// memory flat.
/// </summary>
public static class RowSparseAdam
{
    /// <summary>Updates <paramref name="rows"/> of <paramref name="table"/> and of its moment tables in place.</summary>
    /// <param name="table">The parameter table, (items, dim).</param>
    /// <param name="firstMoment">Adam's m, same shape as the table.</param>
    /// <param name="secondMoment">Adam's v, same shape as the table.</param>
    /// <param name="rows">Distinct row indices, (rows), int64.</param>
    /// <param name="gradient">Gradient of the loss with respect to those rows, (rows, dim).</param>
    /// <param name="settings">Betas and epsilon.</param>
    /// <param name="learningRate">Step size.</param>
    /// <param name="step">1-based step count of this optimizer, for bias correction.</param>
    public static void Update(
        Tensor table, Tensor firstMoment, Tensor secondMoment, Tensor rows, Tensor gradient,
        AdamSettings settings, double learningRate, long step)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(step, 1);
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var m = firstMoment.index_select(0, rows);
        var v = secondMoment.index_select(0, rows);
        var values = table.index_select(0, rows);
        DenseAdam.Update(values, m, v, gradient, settings, learningRate, step);
        firstMoment.index_copy_(0, rows, m);
        secondMoment.index_copy_(0, rows, v);
        table.index_copy_(0, rows, values);
    }
}
