using HierRetrieval.Training.Optimization;
using static TorchSharp.torch;

namespace HierRetrieval.Training.Tests;

public class RowSparseAdamTests
{
    [Test]
    public void Update_TouchedRows_MatchTorchAdam_UntouchedRowsStay()
    {
        using var generator = new TorchSharp.torch.Generator(7);
        using var start = randn([6, 4], generator: generator);
        using var rows = tensor(new long[] { 1, 4 });
        using var table = start.clone();
        using var m = zeros_like(table);
        using var v = zeros_like(table);
        var reference = new TorchSharp.Modules.Parameter(start.clone());
        var adam = optim.Adam([reference], lr: 0.05);
        for (int step = 1; step <= 3; step++)
        {
            using var gradient = randn([2, 4], generator: generator);
            RowSparseAdam.Update(table, m, v, rows, gradient, new AdamSettings(), 0.05, step);
            adam.zero_grad();
            using var full = zeros([6, 4]).index_copy_(0, rows, gradient);
            using var loss = reference.mul(full).sum(); // d loss / d reference = full
            loss.backward();
            adam.step();
        }

        using var expected = reference.detach();
        Assert.Multiple(() =>
        {
            Assert.That(table.allclose(expected, rtol: 1e-5, atol: 1e-6), Is.True, "rows 1 and 4 follow Adam; the others see zero gradients in both");
            Assert.That(table[0].equal(start[0]).all().item<bool>(), Is.True, "an untouched row keeps its value");
        });
    }
}
