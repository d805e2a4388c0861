using CsCheck;

namespace HierRetrieval.Tests.Shared;

/// <summary>
/// Seeded fuzzing of readers: byte-level mutations of a valid input (a byte replaced by a random or a special one, a
/// span deleted, duplicated or cut off, special bytes inserted), drawn by CsCheck generators from one fixed PCG
/// stream, so every run tries the same cases and a failure names the case to replay.
/// </summary>
internal static class Fuzz
{
    /// <summary>Bytes that break text formats: NUL, quotes, separators, line ends, a lone UTF-8 lead byte, an invalid byte.</summary>
    private static readonly byte[] Special = [0, (byte)'"', (byte)'\t', (byte)',', (byte)'\n', (byte)'\r', (byte)'#', (byte)' ', 0xC3, 0xFF];

    private enum Kind
    {
        Replace,
        ReplaceSpecial,
        Delete,
        Duplicate,
        InsertSpecial,
        Truncate,
    }

    private sealed record Mutation(Kind Kind, double Where, int Length, byte Value);

    private static readonly Gen<Mutation[]> Mutations = Gen.Select(
        Gen.Enum<Kind>(), Gen.Double[0, 1], Gen.Int[1, 40], Gen.Byte, (kind, where, length, value) => new Mutation(kind, where, length, value)).Array[1, 4];

    /// <summary>Runs <paramref name="test"/> on <paramref name="cases"/> mutations of <paramref name="valid"/>, the same ones every run.</summary>
    public static void Mutations_Of(byte[] valid, int cases, ulong seed, Action<byte[]> test)
    {
        var pcg = new PCG(stream: 1, seed);
        for (int i = 0; i < cases; i++)
        {
            var mutations = Mutations.Generate(pcg, null, out _);
            byte[] input = Apply(valid, mutations);
            try
            {
                test(input);
            }
            catch (Exception e)
            {
                throw new AssertionException($"fuzz case {i} (seed {seed}: {string.Join("; ", mutations.Select(m => m.ToString()))}) failed: {e.GetType().Name}: {e.Message}", e);
            }
        }
    }

    private static byte[] Apply(byte[] valid, IEnumerable<Mutation> mutations)
    {
        var bytes = valid.ToList();
        foreach (var m in mutations)
        {
            int at = (int)(m.Where * bytes.Count);
            int length = Math.Min(m.Length, bytes.Count - at);
            switch (m.Kind)
            {
                case Kind.Replace when at < bytes.Count:
                    bytes[at] = m.Value;
                    break;
                case Kind.ReplaceSpecial when at < bytes.Count:
                    bytes[at] = Special[m.Value % Special.Length];
                    break;
                case Kind.Delete:
                    bytes.RemoveRange(at, length);
                    break;
                case Kind.Duplicate:
                    bytes.InsertRange(at, bytes.GetRange(at, length));
                    break;
                case Kind.InsertSpecial:
                    bytes.InsertRange(at, Enumerable.Repeat(Special[m.Value % Special.Length], 1 + (m.Length % 3)));
                    break;
                case Kind.Truncate:
                    bytes.RemoveRange(at, bytes.Count - at);
                    break;
            }
        }

        return [.. bytes];
    }
}
