using HierRetrieval.Retrieval;
using HierRetrieval.Studies.HeldOut;

namespace HierRetrieval.Studies.Tests;

public class NeighbourRowsTests
{
    [Test]
    public void Borrow_CopiesTheNearestSeenNodesRows_AndLeavesSeenNodesAlone()
    {
        // Nodes 2 and 3 are unseen: by text, node 2 is nearest to node 1 and node 3 to node 0; unseen nodes never lend.
        var texts = new EmbeddingMatrix(4, 2, [1f, 0f, 0.6f, 0.8f, 0f, 1f, 0.96f, 0.28f]);
        var queries = new EmbeddingMatrix(4, 1, [10f, 11f, 12f, 13f]);
        var documents = new EmbeddingMatrix(4, 1, [20f, 21f, 22f, 23f]);

        var (borrowed, neighbour) = NeighbourRows.Borrow(new NodeEmbeddings(queries, documents), texts, new HashSet<int> { 2, 3 }, threads: 1);

        Assert.Multiple(() =>
        {
            Assert.That(neighbour, Is.EqualTo(new Dictionary<int, int> { [2] = 1, [3] = 0 }));
            Assert.That(borrowed.Queries.Values.ToArray(), Is.EqualTo(new[] { 10f, 11f, 11f, 10f }));
            Assert.That(borrowed.Documents.Values.ToArray(), Is.EqualTo(new[] { 20f, 21f, 21f, 20f }));
            Assert.That(queries.Values.ToArray(), Is.EqualTo(new[] { 10f, 11f, 12f, 13f }), "the trained rows are not changed in place");
        });
    }
}
