namespace HierRetrieval.Construction;

/// <summary>An ordinary least-squares line y = Intercept + Slope * x, with its coefficient of determination.</summary>
public sealed record LinearFit(double Slope, double Intercept, double RSquared)
{
    /// <summary>Fits the line to the points.</summary>
    /// <exception cref="ArgumentException">Fewer than two points, or all x equal.</exception>
    public static LinearFit Fit(IReadOnlyList<double> x, IReadOnlyList<double> y)
    {
        if (x.Count != y.Count || x.Count < 2)
        {
            throw new ArgumentException("need at least two (x, y) points");
        }

        double mx = x.Average(), my = y.Average();
        double sxy = 0, sxx = 0, syy = 0;
        for (int i = 0; i < x.Count; i++)
        {
            sxy += (x[i] - mx) * (y[i] - my);
            sxx += (x[i] - mx) * (x[i] - mx);
            syy += (y[i] - my) * (y[i] - my);
        }

        if (sxx == 0)
        {
            throw new ArgumentException("all x values are equal");
        }

        double slope = sxy / sxx;
        return new LinearFit(slope, my - (slope * mx), syy == 0 ? 1 : sxy * sxy / (sxx * syy));
    }
}
