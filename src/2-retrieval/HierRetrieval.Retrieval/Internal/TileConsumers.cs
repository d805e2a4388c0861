using System.Runtime.CompilerServices;

namespace HierRetrieval.Retrieval.Internal;

/// <summary>Feeds tile scores into per-query heaps, skipping any row whose maximum is below the query's threshold.</summary>
internal struct TopKConsumer(TopKHeaps heaps, int queryRows, int documentCount) : ITileConsumer
{
    public readonly void Consume(int firstQuery, int firstDocument, ref float tile, int panelWidth)
    {
        int valid = Math.Min(panelWidth, documentCount - firstDocument);
        for (int r = 0; r < ScoreKernel.TileRows && firstQuery + r < queryRows; r++)
        {
            int query = firstQuery + r;
            float threshold = heaps.Threshold(query);
            if (!(Unsafe.Add(ref tile, (ScoreKernel.TileRows * panelWidth) + r) > threshold))
            {
                continue;
            }

            ref float row = ref Unsafe.Add(ref tile, r * panelWidth);
            for (int j = 0; j < valid; j++)
            {
                float score = Unsafe.Add(ref row, j);
                if (score > threshold)
                {
                    heaps.Offer(query, firstDocument + j, score);
                    threshold = heaps.Threshold(query);
                }
            }
        }
    }
}

/// <summary>Copies tile scores into a dense query x document matrix.</summary>
internal readonly struct DenseConsumer(Memory<float> scores, int firstRow, int queryRows, int documentCount) : ITileConsumer
{
    public void Consume(int firstQuery, int firstDocument, ref float tile, int panelWidth)
    {
        int valid = Math.Min(panelWidth, documentCount - firstDocument);
        for (int r = 0; r < ScoreKernel.TileRows && firstQuery + r < queryRows; r++)
        {
            var source = System.Runtime.InteropServices.MemoryMarshal.CreateReadOnlySpan(ref Unsafe.Add(ref tile, r * panelWidth), valid);
            source.CopyTo(scores.Span.Slice(((firstRow + firstQuery + r) * documentCount) + firstDocument, valid));
        }
    }
}
