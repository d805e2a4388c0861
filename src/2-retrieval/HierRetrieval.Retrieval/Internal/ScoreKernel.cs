using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace HierRetrieval.Retrieval.Internal;

/// <summary>Receives each computed tile of scores: <see cref="ScoreKernel.TileRows"/> queries x one panel of documents.</summary>
internal interface ITileConsumer
{
    /// <param name="firstQuery">Index (within the current query block) of the tile's first row.</param>
    /// <param name="firstDocument">Id of the panel's first document.</param>
    /// <param name="tile">Row-major scores, <see cref="ScoreKernel.TileRows"/> rows of <paramref name="panelWidth"/>,
    /// followed by the largest score of each row.</param>
    /// <param name="panelWidth">Documents per panel.</param>
    void Consume(int firstQuery, int firstDocument, ref float tile, int panelWidth);
}

/// <summary>
/// The blocked matrix product behind exact search. Documents are packed into panels of
/// <see cref="PanelVectors"/> SIMD vectors (panel p holds documents p*P .. p*P+P-1, stored dimension-major),
/// and a register-blocked micro-kernel computes <see cref="TileRows"/> queries x one panel at a time with fused
/// multiply-adds, keeping all accumulators in registers. The widest hardware-accelerated width is used.
/// </summary>
internal static class ScoreKernel
{
    /// <summary>Queries per tile (register block rows).</summary>
    public const int TileRows = 4;

    /// <summary>SIMD vectors of documents per panel (register block columns).</summary>
    public const int PanelVectors = 3;

    /// <summary>Whether 512-bit vectors are used.</summary>
    public static bool UsesVector512 => Vector512.IsHardwareAccelerated;

    /// <summary>Floats per SIMD vector on this machine.</summary>
    public static int VectorWidth => UsesVector512 ? Vector512<float>.Count : Vector256<float>.Count;

    /// <summary>Documents per panel on this machine.</summary>
    public static int PanelWidth => VectorWidth * PanelVectors;

    /// <summary>
    /// Writes row-major <paramref name="documents"/> into <paramref name="packed"/>'s panels as documents
    /// <paramref name="firstDocument"/> onwards. Lanes past the last document are left as they are (zero in a new array).
    /// </summary>
    public static void PackInto(ReadOnlySpan<float> documents, int count, int dimension, Span<float> packed, int firstDocument)
    {
        int width = PanelWidth;
        for (int row = 0; row < count; row++)
        {
            int doc = firstDocument + row;
            int panel = doc / width, lane = doc % width;
            var values = documents.Slice(row * dimension, dimension);
            int baseIndex = panel * width * dimension + lane;
            for (int k = 0; k < dimension; k++)
            {
                packed[baseIndex + k * width] = values[k];
            }
        }
    }

    /// <summary>
    /// Scores a block of queries (row-major, <paramref name="queryRows"/> a multiple of <see cref="TileRows"/>,
    /// padding rows zero) against panels [<paramref name="firstPanel"/>, <paramref name="endPanel"/>), handing each tile to the consumer.
    /// Panel-outer order keeps one panel in L1 while the query block streams from L2.
    /// </summary>
    public static void Run<TConsumer>(ReadOnlySpan<float> queries, int queryRows, float[] packed, int dimension, int firstPanel, int endPanel, ref TConsumer consumer)
        where TConsumer : struct, ITileConsumer
    {
        if (UsesVector512)
        {
            Run<Vector512Ops, Vector512<float>, TConsumer>(queries, queryRows, packed, dimension, firstPanel, endPanel, ref consumer);
        }
        else
        {
            Run<Vector256Ops, Vector256<float>, TConsumer>(queries, queryRows, packed, dimension, firstPanel, endPanel, ref consumer);
        }
    }

    private static void Run<TOps, TVector, TConsumer>(ReadOnlySpan<float> queries, int queryRows, float[] packed, int dimension, int firstPanel, int endPanel, ref TConsumer consumer)
        where TOps : struct, IVectorOps<TVector>
        where TVector : struct
        where TConsumer : struct, ITileConsumer
    {
        int width = TOps.Width * PanelVectors;
        Span<float> tile = stackalloc float[(TileRows * width) + TileRows];
        ref float tileRef = ref tile[0];
        ref float queryRef = ref Unsafe.AsRef(in queries[0]);
        for (int panel = firstPanel; panel < endPanel; panel++)
        {
            ref float panelRef = ref packed[panel * width * dimension];
            for (int row = 0; row < queryRows; row += TileRows)
            {
                Tile<TOps, TVector>(ref Unsafe.Add(ref queryRef, row * dimension), dimension, ref panelRef, ref tileRef);
                consumer.Consume(row, panel * width, ref tileRef, width);
            }
        }
    }

    /// <summary>
    /// TileRows x (3 vectors) micro-kernel: 12 accumulators, 3 loads and 4 broadcasts per dimension. Writes the
    /// tile and then each row's maximum, so that a top-k consumer can skip rows below its threshold.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining | MethodImplOptions.AggressiveOptimization)]
    private static void Tile<TOps, TVector>(ref float query, int dimension, ref float panel, ref float tile)
        where TOps : struct, IVectorOps<TVector>
        where TVector : struct
    {
        int w = TOps.Width;
        int stride = w * PanelVectors;
        ref float q0 = ref query;
        ref float q1 = ref Unsafe.Add(ref query, dimension);
        ref float q2 = ref Unsafe.Add(ref query, 2 * dimension);
        ref float q3 = ref Unsafe.Add(ref query, 3 * dimension);
        TVector c00 = TOps.Zero, c01 = TOps.Zero, c02 = TOps.Zero;
        TVector c10 = TOps.Zero, c11 = TOps.Zero, c12 = TOps.Zero;
        TVector c20 = TOps.Zero, c21 = TOps.Zero, c22 = TOps.Zero;
        TVector c30 = TOps.Zero, c31 = TOps.Zero, c32 = TOps.Zero;
        ref float p = ref panel;
        for (int k = 0; k < dimension; k++)
        {
            TVector b0 = TOps.Load(ref p);
            TVector b1 = TOps.Load(ref Unsafe.Add(ref p, w));
            TVector b2 = TOps.Load(ref Unsafe.Add(ref p, 2 * w));
            TVector a = TOps.Broadcast(Unsafe.Add(ref q0, k));
            c00 = TOps.MultiplyAdd(a, b0, c00);
            c01 = TOps.MultiplyAdd(a, b1, c01);
            c02 = TOps.MultiplyAdd(a, b2, c02);
            a = TOps.Broadcast(Unsafe.Add(ref q1, k));
            c10 = TOps.MultiplyAdd(a, b0, c10);
            c11 = TOps.MultiplyAdd(a, b1, c11);
            c12 = TOps.MultiplyAdd(a, b2, c12);
            a = TOps.Broadcast(Unsafe.Add(ref q2, k));
            c20 = TOps.MultiplyAdd(a, b0, c20);
            c21 = TOps.MultiplyAdd(a, b1, c21);
            c22 = TOps.MultiplyAdd(a, b2, c22);
            a = TOps.Broadcast(Unsafe.Add(ref q3, k));
            c30 = TOps.MultiplyAdd(a, b0, c30);
            c31 = TOps.MultiplyAdd(a, b1, c31);
            c32 = TOps.MultiplyAdd(a, b2, c32);
            p = ref Unsafe.Add(ref p, stride);
        }

        TOps.Store(c00, ref tile);
        TOps.Store(c01, ref Unsafe.Add(ref tile, w));
        TOps.Store(c02, ref Unsafe.Add(ref tile, 2 * w));
        TOps.Store(c10, ref Unsafe.Add(ref tile, stride));
        TOps.Store(c11, ref Unsafe.Add(ref tile, stride + w));
        TOps.Store(c12, ref Unsafe.Add(ref tile, stride + 2 * w));
        TOps.Store(c20, ref Unsafe.Add(ref tile, 2 * stride));
        TOps.Store(c21, ref Unsafe.Add(ref tile, 2 * stride + w));
        TOps.Store(c22, ref Unsafe.Add(ref tile, 2 * stride + 2 * w));
        TOps.Store(c30, ref Unsafe.Add(ref tile, 3 * stride));
        TOps.Store(c31, ref Unsafe.Add(ref tile, 3 * stride + w));
        TOps.Store(c32, ref Unsafe.Add(ref tile, 3 * stride + 2 * w));
        ref float maxima = ref Unsafe.Add(ref tile, TileRows * stride);
        maxima = TOps.MaxAcross(TOps.Max(TOps.Max(c00, c01), c02));
        Unsafe.Add(ref maxima, 1) = TOps.MaxAcross(TOps.Max(TOps.Max(c10, c11), c12));
        Unsafe.Add(ref maxima, 2) = TOps.MaxAcross(TOps.Max(TOps.Max(c20, c21), c22));
        Unsafe.Add(ref maxima, 3) = TOps.MaxAcross(TOps.Max(TOps.Max(c30, c31), c32));
    }
}
