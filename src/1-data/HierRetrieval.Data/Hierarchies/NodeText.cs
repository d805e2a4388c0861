namespace HierRetrieval.Data.Hierarchies;

/// <summary>Human-readable text attached to a node, such as a WordNet synset's lemmas and gloss.</summary>
/// <param name="Lemmas">The words naming the node, most frequent first (underscores join multi-word lemmas).</param>
/// <param name="Gloss">A short definition; empty when the source has none.</param>
public sealed record NodeText(IReadOnlyList<string> Lemmas, string Gloss);
