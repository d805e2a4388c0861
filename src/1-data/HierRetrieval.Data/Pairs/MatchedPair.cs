namespace HierRetrieval.Data.Pairs;

/// <summary>A (query, document) pair where the document is in the query's match set, with their distance (0 = self).</summary>
public readonly record struct MatchedPair(int Query, int Document, int Distance);
