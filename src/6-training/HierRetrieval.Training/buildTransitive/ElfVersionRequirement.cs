// Compiled twice: by MSBuild's RoslynCodeTaskFactory as the MarkGlibcxxRequirementWeak task (LibTorch.targets),
// and by HierRetrieval.Training.Tests (with ELF_VERSION_REQUIREMENT_TESTS defined) to check the built output.
// The task factory compiles against netstandard2.0 without implicit usings, so this file keeps to that API and
// names its usings (redundant, hence IDE0005 off, where the tests compile it with implicit usings).
#pragma warning disable IDE0005
using System;
using System.IO;
using System.Text;
#pragma warning restore IDE0005

/// <summary>
/// Reads and edits the version requirements (.gnu.version_r) of a 64-bit little-endian ELF shared library.
/// A requirement marked weak (VER_FLG_WEAK) no longer stops the dynamic loader when the providing library
/// lacks that version.
/// </summary>
public static class ElfVersionRequirement
{
    private const uint SectionTypeVersionNeeded = 0x6ffffffe; // SHT_GNU_verneed
    private const ushort WeakFlag = 0x2; // VER_FLG_WEAK

    /// <summary>Whether any library file on the standard search paths defines <paramref name="version"/>.</summary>
    public static bool HostDefines(string libraryName, string version)
    {
        string[] folders = { "/lib/x86_64-linux-gnu", "/usr/lib/x86_64-linux-gnu", "/lib64", "/usr/lib64", "/lib", "/usr/lib" };
        byte[] needle = Encoding.ASCII.GetBytes(version + "\0");
        foreach (string folder in folders)
        {
            string path = Path.Combine(folder, libraryName);
            if (File.Exists(path) && Contains(File.ReadAllBytes(path), needle))
            {
                return true;
            }
        }

        return false;
    }

    private static bool Contains(byte[] haystack, byte[] needle)
    {
        for (int start = Array.IndexOf(haystack, needle[0]); start >= 0 && start <= haystack.Length - needle.Length; start = Array.IndexOf(haystack, needle[0], start + 1))
        {
            int matched = 1;
            while (matched < needle.Length && haystack[start + matched] == needle[matched])
            {
                matched++;
            }

            if (matched == needle.Length)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The flags of the requirement on <paramref name="version"/>, or null when the file does not require it.</summary>
    public static ushort? FlagsOf(byte[] elf, string version)
    {
        int offset = FindAuxiliaryEntry(elf, version);
        return offset < 0 ? null : BitConverter.ToUInt16(elf, offset + 4);
    }

    /// <summary>Whether the requirement on <paramref name="version"/> is marked weak.</summary>
    public static bool IsWeak(byte[] elf, string version) => ((FlagsOf(elf, version) ?? 0) & WeakFlag) != 0;

    /// <summary>
    /// Marks the requirement on <paramref name="version"/> weak in <paramref name="path"/>, replacing the file
    /// atomically. Returns false when the file does not require that version or it is already weak.
    /// </summary>
    public static bool MarkWeak(string path, string version)
    {
        byte[] elf = File.ReadAllBytes(path);
        int offset = FindAuxiliaryEntry(elf, version);
        if (offset < 0 || (BitConverter.ToUInt16(elf, offset + 4) & WeakFlag) != 0)
        {
            return false;
        }

        elf[offset + 4] |= (byte)WeakFlag; // little-endian: the flag lives in the low byte
        string temporary = path + ".patching";
        File.WriteAllBytes(temporary, elf);
        File.Replace(temporary, path, null);
        return true;
    }

    private static int FindAuxiliaryEntry(byte[] elf, string version)
    {
        if (elf.Length < 64 || elf[0] != 0x7f || elf[1] != (byte)'E' || elf[2] != (byte)'L' || elf[3] != (byte)'F' || elf[4] != 2 || elf[5] != 1)
        {
            throw new InvalidDataException("not a 64-bit little-endian ELF file");
        }

        long sectionTable = BitConverter.ToInt64(elf, 0x28);
        int entrySize = BitConverter.ToUInt16(elf, 0x3A);
        int sectionCount = BitConverter.ToUInt16(elf, 0x3C);
        for (int s = 0; s < sectionCount; s++)
        {
            int header = checked((int)(sectionTable + (s * entrySize)));
            if (BitConverter.ToUInt32(elf, header + 4) != SectionTypeVersionNeeded)
            {
                continue;
            }

            int strings = StringTableOffset(elf, sectionTable, entrySize, BitConverter.ToInt32(elf, header + 0x28));
            int needed = checked((int)BitConverter.ToInt64(elf, header + 0x18));
            int neededCount = BitConverter.ToInt32(elf, header + 0x2C);
            for (int n = 0; n < neededCount; n++)
            {
                int auxiliary = needed + BitConverter.ToInt32(elf, needed + 8);
                int auxiliaryCount = BitConverter.ToUInt16(elf, needed + 2);
                for (int a = 0; a < auxiliaryCount; a++)
                {
                    if (NameAt(elf, strings + BitConverter.ToInt32(elf, auxiliary + 8)) == version)
                    {
                        return auxiliary;
                    }

                    auxiliary += BitConverter.ToInt32(elf, auxiliary + 12);
                }

                needed += BitConverter.ToInt32(elf, needed + 12);
            }
        }

        return -1;
    }

    private static int StringTableOffset(byte[] elf, long sectionTable, int entrySize, int index) =>
        checked((int)BitConverter.ToInt64(elf, (int)(sectionTable + (index * entrySize)) + 0x18));

    private static string NameAt(byte[] elf, int offset)
    {
        int end = Array.IndexOf(elf, (byte)0, offset);
        return Encoding.ASCII.GetString(elf, offset, end - offset);
    }
}

#if !ELF_VERSION_REQUIREMENT_TESTS
/// <summary>MSBuild task: marks a symbol version requirement weak in the given libraries (by default only when the host lacks it).</summary>
public sealed class MarkGlibcxxRequirementWeak : Microsoft.Build.Utilities.Task
{
    /// <summary>The libraries to patch (copies in an output folder).</summary>
    [Microsoft.Build.Framework.Required]
    public Microsoft.Build.Framework.ITaskItem[] Libraries { get; set; } = new Microsoft.Build.Framework.ITaskItem[0];

    /// <summary>The version to mark weak, e.g. GLIBCXX_3.4.32.</summary>
    [Microsoft.Build.Framework.Required]
    public string Version { get; set; } = "";

    /// <summary>
    /// True (default): patch only when this host's libstdc++ lacks <see cref="Version"/>, for build output that runs
    /// here. False: always patch, for publish and tool-package output that may run on another host (the weak flag
    /// changes nothing where the version exists).
    /// </summary>
    public bool OnlyWhenHostLacksVersion { get; set; } = true;

    /// <inheritdoc />
    public override bool Execute()
    {
        if (OnlyWhenHostLacksVersion && ElfVersionRequirement.HostDefines("libstdc++.so.6", Version))
        {
            return true;
        }

        foreach (var library in Libraries)
        {
            if (ElfVersionRequirement.MarkWeak(library.ItemSpec, Version))
            {
                Log.LogMessage(Microsoft.Build.Framework.MessageImportance.High,
                    $"{library.ItemSpec}: marked the {Version} requirement weak");
            }
        }

        return true;
    }
}
#endif
