namespace HierRetrieval.Training.Towers;

/// <summary>
/// The token states of many texts at one depth of an encoder, stored once in half precision: item i has
/// <see cref="LengthOf"/>(i) rows of <see cref="Dimension"/> values.
/// </summary>
public sealed class TokenStates
{
    private readonly long[] _offsets;
    private readonly Half[] _values;

    /// <summary>Room for items with the given token counts, every state zero.</summary>
    /// <exception cref="ArgumentException">A length is below 1, or all states together exceed one array.</exception>
    public TokenStates(int dimension, IReadOnlyList<int> lengths)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(dimension, 1);
        _offsets = new long[lengths.Count + 1];
        for (int i = 0; i < lengths.Count; i++)
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(lengths[i], 1, $"{nameof(lengths)}[{i}]");
            _offsets[i + 1] = _offsets[i] + ((long)lengths[i] * dimension);
        }

        if (_offsets[^1] > Array.MaxLength)
        {
            throw new ArgumentException($"{_offsets[^1]:N0} token-state values exceed one array ({Array.MaxLength:N0})", nameof(lengths));
        }

        Dimension = dimension;
        _values = new Half[_offsets[^1]];
    }

    /// <summary>Number of items.</summary>
    public int Count => _offsets.Length - 1;

    /// <summary>Values per token.</summary>
    public int Dimension { get; }

    /// <summary>Tokens of item <paramref name="item"/>.</summary>
    public int LengthOf(int item) => (int)((_offsets[item + 1] - _offsets[item]) / Dimension);

    /// <summary>Item <paramref name="item"/>'s states, token after token.</summary>
    public Span<Half> StatesOf(int item) => _values.AsSpan((int)_offsets[item], (int)(_offsets[item + 1] - _offsets[item]));
}
