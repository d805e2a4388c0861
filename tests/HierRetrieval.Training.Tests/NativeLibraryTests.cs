using static TorchSharp.torch;

namespace HierRetrieval.Training.Tests;

public class NativeLibraryTests
{
    private const string Version = "GLIBCXX_3.4.32";

    [Test]
    public void Torch_LoadsThroughTheBuildAlone()
    {
        using var sum = ones(3).sum();
        Assert.That(sum.item<float>(), Is.EqualTo(3f));
    }

    [Test]
    public void LibTorchSharp_RequirementIsWeakExactlyWhenTheHostLacksIt()
    {
        if (!OperatingSystem.IsLinux())
        {
            Assert.Ignore("the libstdc++ version requirement concerns Linux hosts only");
        }

        string[] copies = Directory.GetFiles(AppContext.BaseDirectory, "libLibTorchSharp.so", SearchOption.AllDirectories);
        Assert.That(copies, Is.Not.Empty, "the build copies libLibTorchSharp.so into the output folder");
        bool hostHasVersion = ElfVersionRequirement.HostDefines("libstdc++.so.6", Version);
        foreach (string copy in copies)
        {
            byte[] elf = File.ReadAllBytes(copy);
            Assert.That(ElfVersionRequirement.FlagsOf(elf, Version), Is.Not.Null, $"{copy} requires {Version}");
            Assert.That(ElfVersionRequirement.IsWeak(elf, Version), Is.EqualTo(!hostHasVersion), copy);
        }
    }

    [Test]
    public void MarkWeak_SetsOnlyTheWeakFlag_AndIsIdempotent()
    {
        string original = Directory.GetFiles(AppContext.BaseDirectory, "libLibTorchSharp.so", SearchOption.AllDirectories)[0];
        using var folder = new HierRetrieval.Tests.Shared.TempFolder();
        string copy = Path.Combine(folder.Path, "lib.so");
        File.Copy(original, copy);
        byte[] before = File.ReadAllBytes(copy);
        if (ElfVersionRequirement.IsWeak(before, Version))
        {
            Assert.That(ElfVersionRequirement.MarkWeak(copy, Version), Is.False);
            return;
        }

        Assert.That(ElfVersionRequirement.MarkWeak(copy, Version), Is.True);
        byte[] after = File.ReadAllBytes(copy);
        Assert.Multiple(() =>
        {
            Assert.That(ElfVersionRequirement.IsWeak(after, Version), Is.True);
            Assert.That(after.Zip(before).Count(p => p.First != p.Second), Is.EqualTo(1), "exactly one byte changes");
            Assert.That(ElfVersionRequirement.MarkWeak(copy, Version), Is.False, "a second run changes nothing");
        });
    }
}
