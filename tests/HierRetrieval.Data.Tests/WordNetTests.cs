using HierRetrieval.Data.Datasets;
using HierRetrieval.Data.Hierarchies;
using HierRetrieval.Tests.Shared;

namespace HierRetrieval.Data.Tests;

public class WordNetTests
{
    [Test]
    public void WordNetNouns_ShippedArchive_HasThePapersCounts()
    {
        var stats = HierarchyCatalog.Load("wordnet-nouns").GetStatistics();

        Assert.That(stats.Nodes, Is.EqualTo(82_115));
        Assert.That(stats.ClosurePairs, Is.EqualTo(743_241));
        Assert.That(stats.MultiParentNodes, Is.EqualTo(2_213));
        Assert.That(stats.Roots, Is.EqualTo(1));
    }

    [Test]
    public void WordNetNouns_WithoutRoot_HasThePapersCounts()
    {
        var h = HierarchyCatalog.Load("wordnet-nouns");
        int root = h.IndexOf("entity.n.01");

        // Pairs whose ancestor is entity.n.01 disappear with it: one per other node.
        Assert.That(h.Closure.PairCount - (h.Count - 1), Is.EqualTo(661_127));
        Assert.That(h.ChildrenOf(root).Length, Is.EqualTo(3));
    }

    [Test]
    public void WordNetMammals_HasNickelKielaCounts()
    {
        var stats = HierarchyCatalog.Load("wordnet-mammals").GetStatistics();

        Assert.That(stats.Nodes, Is.EqualTo(1_180));
        Assert.That(stats.ClosurePairs, Is.EqualTo(6_540));
    }

    [Test]
    public void WordNetNouns_NamesLemmasGlossesAndDistances()
    {
        var h = HierarchyCatalog.Load("wordnet-nouns");
        int dog = h.IndexOf("dog.n.01");

        Assert.That(h.TextOf(dog)!.Lemmas, Is.EqualTo(new[] { "dog", "domestic_dog", "Canis_familiaris" }));
        Assert.That(h.TextOf(dog)!.Gloss, Does.StartWith("a member of the genus Canis"));
        Assert.That(h.Closure.Distance(dog, h.IndexOf("canine.n.02")), Is.EqualTo(1));
        Assert.That(h.Closure.Distance(dog, h.IndexOf("mammal.n.01")), Is.GreaterThan(1));
        Assert.That(h.Closure.IsMatch(dog, h.IndexOf("entity.n.01")), Is.True);
        // Sense numbers follow index.noun: the 2nd sense of "dog" is named after its first lemma (frump.n.01).
        Assert.That(h.TryGetIndex("dog.n.03", out _), Is.True);
        Assert.That(h.TryGetIndex("dog.n.02", out _), Is.False);
    }

    [Test]
    public void ReadNouns_SmallDictionary_ParsesNamesPointersAndGloss()
    {
        using var folder = new TempFolder();
        folder.Write("data.noun",
            "  1 This software and database is being provided to you, the LICENSEE\n" +
            "00000010 03 n 01 entity 0 001 ~ 00000020 n 0000 | that which exists  \n" +
            "00000020 05 n 02 Dog 0 domestic_dog 0 002 @ 00000010 n 0000 + 00000001 v 0101 | a barking animal; \"the dog barked\"  \n" +
            "00000030 18 n 01 Rex 0 001 @i 00000020 n 0000 | a famous dog  \n");
        folder.Write("index.noun",
            "  1 This software and database is being provided to you, the LICENSEE\n" +
            "dog n 2 1 @ 2 0 00000099 00000020  \n" +
            "domestic_dog n 1 1 @ 1 0 00000020  \n" +
            "entity n 1 1 ~ 1 0 00000010  \n" +
            "rex n 1 1 @i 1 0 00000030  \n");

        var synsets = WordNetDictionaryReader.ReadNouns(folder.Path);
        var h = WordNetNouns.ToHierarchy(synsets);

        Assert.That(synsets.Select(s => s.Name), Is.EqualTo(new[] { "entity.n.01", "dog.n.02", "rex.n.01" }));
        Assert.That(synsets[1].Lemmas, Is.EqualTo(new[] { "Dog", "domestic_dog" }));
        Assert.That(synsets[1].Gloss, Is.EqualTo("a barking animal; \"the dog barked\""));
        Assert.That(synsets[2].InstanceHypernyms, Is.EqualTo(new long[] { 20 }));
        Assert.That(h.Closure.Distance(h.IndexOf("rex.n.01"), h.IndexOf("entity.n.01")), Is.EqualTo(2));
    }

    [Test]
    public void ReadNouns_MalformedLine_NamesFileAndLine()
    {
        using var folder = new TempFolder();
        folder.Write("data.noun", "00000010 03 n 01 entity 0 0x1 | bad pointer count\n");
        folder.Write("index.noun", "entity n 1 0 1 0 00000010\n");

        var e = Assert.Throws<InvalidHierarchyException>(() => WordNetDictionaryReader.ReadNouns(folder.Path))!;

        Assert.That(e.Message, Does.EndWith("data.noun:1: field 'p_cnt' is not a number"));
    }

    [Test]
    public void ReadNouns_MissingFolder_SaysWhatToInstall()
    {
        var e = Assert.Throws<FileNotFoundException>(() => WordNetDictionaryReader.ReadNouns("/nonexistent-wordnet"))!;

        Assert.That(e.Message, Does.Contain("wordnet-base"));
    }

    [Test]
    public void ShippedArchive_EqualsDebianDictionary()
    {
        if (!File.Exists(Path.Combine(WordNetDictionaryReader.DebianDictionaryFolder, "data.noun")))
        {
            Assert.Ignore("WordNet 3.0 is not installed at /usr/share/wordnet (Debian: apt-get install wordnet-base); the shipped archive is checked against it where it is.");
        }

        var fromDictionary = WordNetDictionaryReader.ReadNouns(WordNetDictionaryReader.DebianDictionaryFolder);
        var shipped = WordNetNouns.ReadShippedArchive();

        Assert.That(shipped, Has.Count.EqualTo(fromDictionary.Count));
        for (int i = 0; i < shipped.Count; i++)
        {
            Assert.That(shipped[i].Name, Is.EqualTo(fromDictionary[i].Name));
            Assert.That(shipped[i].Gloss, Is.EqualTo(fromDictionary[i].Gloss));
            Assert.That(shipped[i].Lemmas, Is.EqualTo(fromDictionary[i].Lemmas));
            Assert.That(shipped[i].Hypernyms.Concat(shipped[i].InstanceHypernyms), Is.EqualTo(fromDictionary[i].Hypernyms.Concat(fromDictionary[i].InstanceHypernyms)));
        }
    }
}
