namespace HierRetrieval.Data.Datasets;

/// <summary>One WordNet noun synset: its byte offset in data.noun, NLTK-style name, lemmas, gloss and parent pointers.</summary>
/// <param name="Offset">The synset's offset in data.noun (its WordNet id).</param>
/// <param name="Name">NLTK-style name, e.g. <c>dog.n.01</c>.</param>
/// <param name="Lemmas">Lemmas in data.noun order (case kept, underscores for spaces).</param>
/// <param name="Gloss">The definition and examples after the '|' of data.noun.</param>
/// <param name="Hypernyms">Offsets of the hypernyms (pointer '@').</param>
/// <param name="InstanceHypernyms">Offsets of the instance hypernyms (pointer '@i').</param>
public sealed record WordNetSynset(
    long Offset,
    string Name,
    IReadOnlyList<string> Lemmas,
    string Gloss,
    IReadOnlyList<long> Hypernyms,
    IReadOnlyList<long> InstanceHypernyms);
