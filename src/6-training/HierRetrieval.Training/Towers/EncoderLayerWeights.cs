namespace HierRetrieval.Training.Towers;

/// <summary>
/// The weights of one BERT encoder layer (self-attention, then a feed-forward block, each followed by a residual sum
/// and layer normalisation), named as Hugging Face names them under <c>encoder.layer.N.</c>. Matrices are stored
/// [in, out], as the layer multiplies them (x · W).
/// </summary>
public sealed class EncoderLayerWeights
{
    /// <summary>The parameter names, in the order a tower keeps them.</summary>
    public static IReadOnlyList<string> Names { get; } =
    [
        "attention.self.query.weight", "attention.self.query.bias",
        "attention.self.key.weight", "attention.self.key.bias",
        "attention.self.value.weight", "attention.self.value.bias",
        "attention.output.dense.weight", "attention.output.dense.bias",
        "attention.output.LayerNorm.weight", "attention.output.LayerNorm.bias",
        "intermediate.dense.weight", "intermediate.dense.bias",
        "output.dense.weight", "output.dense.bias",
        "output.LayerNorm.weight", "output.LayerNorm.bias",
    ];

    /// <summary>Checks every weight's length against the layer's shape.</summary>
    /// <exception cref="ArgumentException">A weight is missing or has the wrong length; the message names it.</exception>
    public EncoderLayerWeights(int hidden, int heads, int intermediate, double layerNormEpsilon, IReadOnlyDictionary<string, float[]> values)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(heads, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(intermediate, 1);
        if (hidden < heads || hidden % heads != 0)
        {
            throw new ArgumentException($"hidden size {hidden} must be a positive multiple of the {heads} heads", nameof(hidden));
        }

        Hidden = hidden;
        Heads = heads;
        Intermediate = intermediate;
        LayerNormEpsilon = layerNormEpsilon;
        foreach (string name in Names)
        {
            long expected = ShapeOf(name).Aggregate(1L, (a, b) => a * b);
            if (!values.TryGetValue(name, out float[]? value) || value.Length != expected)
            {
                throw new ArgumentException($"{name}: expected {expected} values, found {(value is null ? "none" : value.Length)}", nameof(values));
            }
        }

        Values = values;
    }

    /// <summary>Width of the token states.</summary>
    public int Hidden { get; }

    /// <summary>Attention heads.</summary>
    public int Heads { get; }

    /// <summary>Width of the feed-forward block.</summary>
    public int Intermediate { get; }

    /// <summary>The epsilon of both layer normalisations.</summary>
    public double LayerNormEpsilon { get; }

    /// <summary>Each weight by name (<see cref="Names"/>).</summary>
    public IReadOnlyDictionary<string, float[]> Values { get; }

    /// <summary>The shape of the weight called <paramref name="name"/>.</summary>
    public long[] ShapeOf(string name) => name switch
    {
        "intermediate.dense.weight" => [Hidden, Intermediate],
        "intermediate.dense.bias" => [Intermediate],
        "output.dense.weight" => [Intermediate, Hidden],
        _ when name.EndsWith(".weight", StringComparison.Ordinal) && !name.Contains("LayerNorm", StringComparison.Ordinal) => [Hidden, Hidden],
        _ => [Hidden],
    };
}
