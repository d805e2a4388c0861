using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace HierRetrieval.Retrieval.Internal;

/// <summary>
/// The few SIMD operations the score kernel needs, as static members so that the JIT specialises and
/// inlines the generic kernel for each vector width.
/// </summary>
internal interface IVectorOps<TVector>
    where TVector : struct
{
    static abstract int Width { get; }

    static abstract TVector Zero { get; }

    static abstract TVector Load(ref float source);

    static abstract TVector Broadcast(float value);

    /// <summary>a * b + addend, fused.</summary>
    static abstract TVector MultiplyAdd(TVector a, TVector b, TVector addend);

    static abstract void Store(TVector value, ref float destination);

    static abstract TVector Max(TVector a, TVector b);

    /// <summary>The largest element.</summary>
    static abstract float MaxAcross(TVector value);
}

/// <summary>512-bit vectors (AVX-512).</summary>
internal readonly struct Vector512Ops : IVectorOps<Vector512<float>>
{
    public static int Width => Vector512<float>.Count;

    public static Vector512<float> Zero => Vector512<float>.Zero;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Load(ref float source) => Vector512.LoadUnsafe(ref source);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Broadcast(float value) => Vector512.Create(value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> MultiplyAdd(Vector512<float> a, Vector512<float> b, Vector512<float> addend) => Vector512.FusedMultiplyAdd(a, b, addend);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(Vector512<float> value, ref float destination) => value.StoreUnsafe(ref destination);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Max(Vector512<float> a, Vector512<float> b) => Vector512.Max(a, b);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float MaxAcross(Vector512<float> value) => Vector256Ops.MaxAcross(Vector256.Max(value.GetLower(), value.GetUpper()));
}

/// <summary>256-bit vectors (AVX2/FMA, or Arm64 pairs).</summary>
internal readonly struct Vector256Ops : IVectorOps<Vector256<float>>
{
    public static int Width => Vector256<float>.Count;

    public static Vector256<float> Zero => Vector256<float>.Zero;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Load(ref float source) => Vector256.LoadUnsafe(ref source);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Broadcast(float value) => Vector256.Create(value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> MultiplyAdd(Vector256<float> a, Vector256<float> b, Vector256<float> addend) => Vector256.FusedMultiplyAdd(a, b, addend);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(Vector256<float> value, ref float destination) => value.StoreUnsafe(ref destination);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Max(Vector256<float> a, Vector256<float> b) => Vector256.Max(a, b);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float MaxAcross(Vector256<float> value)
    {
        var m = Vector128.Max(value.GetLower(), value.GetUpper());
        m = Vector128.Max(m, Vector128.Shuffle(m, Vector128.Create(2, 3, 0, 1)));
        m = Vector128.Max(m, Vector128.Shuffle(m, Vector128.Create(1, 0, 3, 2)));
        return m.ToScalar();
    }
}
