using System.Globalization;
using System.Text;

namespace HierRetrieval.Evaluation.Reporting;

/// <summary>A small self-contained SVG line chart (linear or log axes, several series, legend) for docs and reports.</summary>
public sealed class SvgChart(string title, string xLabel, string yLabel, bool logX = false, bool logY = false)
{
    private static readonly string[] Colors = ["#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf"];
    private readonly List<(string Name, IReadOnlyList<(double X, double Y)> Points, bool Dashed)> _series = [];

    /// <summary>Adds a series drawn as a line with markers (dashed lines suit fitted curves).</summary>
    public SvgChart Add(string name, IReadOnlyList<(double X, double Y)> points, bool dashed = false)
    {
        _series.Add((name, points, dashed));
        return this;
    }

    /// <summary>The chart as a complete SVG document.</summary>
    public string Render(int width = 520, int height = 380) => Combine(width, height, this);

    /// <summary>Several charts side by side in one SVG document.</summary>
    public static string Combine(int width, int height, params SvgChart[] charts)
    {
        var svg = new StringBuilder();
        svg.Append(CultureInfo.InvariantCulture, $"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{width * charts.Length}\" height=\"{height}\" font-family=\"sans-serif\" font-size=\"12\">\n");
        svg.Append(CultureInfo.InvariantCulture, $"<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n");
        for (int i = 0; i < charts.Length; i++)
        {
            svg.Append(CultureInfo.InvariantCulture, $"<g transform=\"translate({i * width},0)\">\n");
            charts[i].Draw(svg, width, height);
            svg.Append("</g>\n");
        }

        return svg.Append("</svg>\n").ToString();
    }

    private void Draw(StringBuilder svg, int width, int height)
    {
        const double left = 60, right = 20, top = 30, bottom = 50;
        var all = _series.SelectMany(s => s.Points).ToList();
        var (x0, x1) = Range(all.Select(p => p.X), logX);
        var (y0, y1) = Range(all.Select(p => p.Y), logY);
        double plotW = width - left - right, plotH = height - top - bottom;
        double Sx(double x) => left + (plotW * (Scale(x, logX) - x0) / (x1 - x0));
        double Sy(double y) => top + plotH - (plotH * (Scale(y, logY) - y0) / (y1 - y0));
        string F(double v) => (Math.Abs(v) < 1e-9 ? 0 : v).ToString("0.##", CultureInfo.InvariantCulture); // no "-0" labels

        svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{F(width / 2.0)}\" y=\"18\" text-anchor=\"middle\" font-weight=\"bold\">{Escape(title)}</text>\n");
        svg.Append(CultureInfo.InvariantCulture, $"<rect x=\"{F(left)}\" y=\"{F(top)}\" width=\"{F(plotW)}\" height=\"{F(plotH)}\" fill=\"none\" stroke=\"#444\"/>\n");
        foreach (double t in Ticks(x0, x1, logX))
        {
            double x = Sx(t);
            svg.Append(CultureInfo.InvariantCulture, $"<line x1=\"{F(x)}\" y1=\"{F(top + plotH)}\" x2=\"{F(x)}\" y2=\"{F(top + plotH + 4)}\" stroke=\"#444\"/><text x=\"{F(x)}\" y=\"{F(top + plotH + 16)}\" text-anchor=\"middle\">{F(t)}</text>\n");
        }

        foreach (double t in Ticks(y0, y1, logY))
        {
            double y = Sy(t);
            svg.Append(CultureInfo.InvariantCulture, $"<line x1=\"{F(left - 4)}\" y1=\"{F(y)}\" x2=\"{F(left + plotW)}\" y2=\"{F(y)}\" stroke=\"#ddd\"/><text x=\"{F(left - 6)}\" y=\"{F(y + 4)}\" text-anchor=\"end\">{F(t)}</text>\n");
        }

        svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{F(left + (plotW / 2))}\" y=\"{F(height - 12)}\" text-anchor=\"middle\">{Escape(xLabel)}</text>\n");
        svg.Append(CultureInfo.InvariantCulture, $"<text transform=\"translate(14,{F(top + (plotH / 2))}) rotate(-90)\" text-anchor=\"middle\">{Escape(yLabel)}</text>\n");
        for (int i = 0; i < _series.Count; i++)
        {
            var (name, points, dashed) = _series[i];
            string color = Colors[i % Colors.Length];
            string path = string.Join(' ', points.Select(p => $"{F(Sx(p.X))},{F(Sy(p.Y))}"));
            svg.Append(CultureInfo.InvariantCulture, $"<polyline points=\"{path}\" fill=\"none\" stroke=\"{color}\" stroke-width=\"2\"{(dashed ? " stroke-dasharray=\"6 4\"" : string.Empty)}/>\n");
            if (!dashed)
            {
                foreach (var p in points)
                {
                    svg.Append(CultureInfo.InvariantCulture, $"<circle cx=\"{F(Sx(p.X))}\" cy=\"{F(Sy(p.Y))}\" r=\"3\" fill=\"{color}\"/>\n");
                }
            }

            double ly = top + 14 + (i * 16);
            svg.Append(CultureInfo.InvariantCulture, $"<line x1=\"{F(left + 10)}\" y1=\"{F(ly - 4)}\" x2=\"{F(left + 30)}\" y2=\"{F(ly - 4)}\" stroke=\"{color}\" stroke-width=\"2\"{(dashed ? " stroke-dasharray=\"6 4\"" : string.Empty)}/><text x=\"{F(left + 36)}\" y=\"{F(ly)}\">{Escape(name)}</text>\n");
        }
    }

    private static double Scale(double v, bool log) => log ? Math.Log10(v) : v;

    private static (double Low, double High) Range(IEnumerable<double> values, bool log)
    {
        var scaled = values.Select(v => Scale(v, log)).ToList();
        double low = scaled.Count > 0 ? scaled.Min() : 0, high = scaled.Count > 0 ? scaled.Max() : 1;
        double pad = high > low ? (high - low) * 0.05 : 0.5;
        return (low - pad, high + pad);
    }

    /// <summary>Tick values (in data units) inside a scaled range: 1-2-5 steps, per decade on log axes.</summary>
    private static IEnumerable<double> Ticks(double low, double high, bool log)
    {
        if (log)
        {
            var ticks = new List<double>();
            for (int e = (int)Math.Floor(low); e <= Math.Ceiling(high); e++)
            {
                foreach (double m in high - low > 2 ? new[] { 1.0 } : [1.0, 2.0, 5.0])
                {
                    double v = m * Math.Pow(10, e);
                    if (Math.Log10(v) >= low && Math.Log10(v) <= high)
                    {
                        ticks.Add(v);
                    }
                }
            }

            return ticks;
        }

        double raw = (high - low) / 6;
        double magnitude = Math.Pow(10, Math.Floor(Math.Log10(raw)));
        double step = new[] { 1.0, 2.0, 5.0, 10.0 }.Select(m => m * magnitude).First(s => s >= raw);
        var linear = new List<double>();
        for (double v = Math.Ceiling(low / step) * step; v <= high; v += step)
        {
            linear.Add(Math.Round(v, 10));
        }

        return linear;
    }

    private static string Escape(string text) => System.Security.SecurityElement.Escape(text);
}
