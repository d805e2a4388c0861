namespace HierRetrieval.Evaluation.Lexical;

/// <summary>Spearman's rank correlation: Pearson's correlation of the ranks, ties given their average rank.</summary>
public static class SpearmanCorrelation
{
    /// <summary>rho of <paramref name="x"/> and <paramref name="y"/> (NaN when either is constant).</summary>
    /// <exception cref="ArgumentException">The lengths differ or are below 2.</exception>
    public static double Compute(IReadOnlyList<double> x, IReadOnlyList<double> y)
    {
        if (x.Count != y.Count || x.Count < 2)
        {
            throw new ArgumentException($"need two samples of equal length of at least 2, got {x.Count} and {y.Count}");
        }

        double[] rx = Ranks(x), ry = Ranks(y);
        double mx = rx.Average(), my = ry.Average();
        double covariance = 0, vx = 0, vy = 0;
        for (int i = 0; i < rx.Length; i++)
        {
            covariance += (rx[i] - mx) * (ry[i] - my);
            vx += (rx[i] - mx) * (rx[i] - mx);
            vy += (ry[i] - my) * (ry[i] - my);
        }

        return covariance / Math.Sqrt(vx * vy);
    }

    private static double[] Ranks(IReadOnlyList<double> values)
    {
        int[] order = [.. Enumerable.Range(0, values.Count).OrderBy(i => values[i])];
        double[] ranks = new double[values.Count];
        for (int start = 0; start < order.Length;)
        {
            int end = start;
            while (end + 1 < order.Length && values[order[end + 1]] == values[order[start]])
            {
                end++;
            }

            double average = ((start + end) / 2.0) + 1;
            for (int i = start; i <= end; i++)
            {
                ranks[order[i]] = average;
            }

            start = end + 1;
        }

        return ranks;
    }
}
