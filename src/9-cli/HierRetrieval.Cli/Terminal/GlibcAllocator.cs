using System.Runtime.InteropServices;

namespace HierRetrieval.Cli.Terminal;

/// <summary>
/// Keeps glibc from returning libtorch's large per-step tensors to the kernel after every step. By default glibc
/// serves blocks over its mmap threshold with fresh mappings and trims the heap top eagerly, so each training
/// step page-faults its logits and gradients in again (a third of the wall time went to the kernel at d=64 with
/// 4,096 random negatives). Raising the thresholds keeps that memory in the heap for reuse.
/// </summary>
internal static partial class GlibcAllocator
{
    private const int TrimThreshold = -1; // M_TRIM_THRESHOLD
    private const int TopPad = -2; // M_TOP_PAD
    private const int MmapThreshold = -3; // M_MMAP_THRESHOLD

    /// <summary>Applies the settings on Linux with glibc; does nothing elsewhere.</summary>
    public static void KeepLargeBlocks()
    {
        if (!OperatingSystem.IsLinux())
        {
            return;
        }

        try
        {
            _ = MallOpt(MmapThreshold, 32 << 20);
            _ = MallOpt(TrimThreshold, 1 << 30);
            _ = MallOpt(TopPad, 256 << 20);
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            // Not glibc (e.g. musl): its allocator has no such settings.
        }
    }

    [LibraryImport("libc", EntryPoint = "mallopt")]
    private static partial int MallOpt(int parameter, int value);
}
