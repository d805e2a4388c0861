using HierRetrieval.MLNet.Evaluation;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace HierRetrieval.MLNet.Tests;

public class RetrievalEvaluatorTests
{
    private readonly MLContext _mlContext = new(seed: 1);

    private sealed class ScoredPair
    {
        public string Query { get; set; } = "";

        public string Document { get; set; } = "";

        public int Distance { get; set; }

        public string[] Documents { get; set; } = [];
    }

    private sealed class RankedRow
    {
        public uint Group { get; set; }

        public float Label { get; set; }

        public float Score { get; set; }
    }

    [Test]
    public void Evaluate_HandComputedCase()
    {
        // q1: R = {q1 (0), a (1), b (2)}, retrieved [q1, x, a]: q1 and a at ranks 1 and 3.
        // q2: R = {a (1)}, retrieved [q2, a, x]: q2 itself is not in R, so it is filtered and a ranks first.
        ScoredPair[] rows =
        [
            new() { Query = "q1", Document = "q1", Distance = 0, Documents = ["q1", "x", "a"] },
            new() { Query = "q1", Document = "a", Distance = 1, Documents = ["q1", "x", "a"] },
            new() { Query = "q1", Document = "b", Distance = 2, Documents = ["q1", "x", "a"] },
            new() { Query = "q2", Document = "a", Distance = 1, Documents = ["q2", "a", "x"] },
        ];
        var metrics = _mlContext.HierarchicalRetrieval().Evaluate(_mlContext.Data.LoadFromEnumerable(rows));
        double ndcgQ1 = (1 + (1 / Math.Log2(4))) / (1 + (1 / Math.Log2(3)) + (1 / Math.Log2(4)));
        Assert.Multiple(() =>
        {
            Assert.That(metrics.Queries, Is.EqualTo(2));
            Assert.That(metrics.Pairs, Is.EqualTo(4));
            Assert.That(metrics.K, Is.EqualTo(3));
            Assert.That(metrics.RecallAtK, Is.EqualTo(3 / 4.0));
            Assert.That(metrics.Overall, Is.EqualTo(3 / 4.0), "q1: q1 and a within the top 3; q2: a within the top 1");
            Assert.That(metrics.RecallByDistance, Is.EqualTo(new Dictionary<int, double> { [0] = 1, [1] = 1, [2] = 0 }));
            Assert.That(metrics.PairsByDistance, Is.EqualTo(new Dictionary<int, long> { [0] = 1, [1] = 2, [2] = 1 }));
            Assert.That(metrics.Min, Is.Zero);
            Assert.That(metrics.MinDistance, Is.EqualTo(2));
            Assert.That(metrics.MeanAveragePrecision, Is.EqualTo(((1 + (2 / 3.0)) / 3 + 1) / 2).Within(1e-12));
            Assert.That(metrics.Ndcg, Is.EqualTo((ndcgQ1 + 1) / 2).Within(1e-12));
            Assert.That(metrics.QueriesBeyondK, Is.Zero);
        });
    }

    private sealed class HeldOutPair
    {
        public string Query { get; set; } = "";

        public string Document { get; set; } = "";

        public int Distance { get; set; }

        public bool Held { get; set; }

        public string[] Documents { get; set; } = [];
    }

    [Test]
    public void Min_LeavesTheSelfPairOutUnlessAskedTo()
    {
        // q ranks [p, g, x, q]: its parent p and grandparent g are within the top 3, q itself is not.
        string[] ranking = ["p", "g", "x", "q"];
        ScoredPair[] rows =
        [
            new() { Query = "q", Document = "q", Distance = 0, Documents = ranking },
            new() { Query = "q", Document = "p", Distance = 1, Documents = ranking },
            new() { Query = "q", Document = "g", Distance = 2, Documents = ranking },
        ];
        var data = _mlContext.Data.LoadFromEnumerable(rows);
        var paper = _mlContext.HierarchicalRetrieval().Evaluate(data);
        var all = _mlContext.HierarchicalRetrieval().Evaluate(data, new RetrievalEvaluatorOptions { MinFromDistance = 0 });
        Assert.Multiple(() =>
        {
            Assert.That((paper.MinDistance, paper.Min), Is.EqualTo((1, 1.0)), "D1 and D2 tie at 1: the smaller distance");
            Assert.That((all.MinDistance, all.Min), Is.EqualTo((0, 0.0)));
        });
    }

    [Test]
    public void Evaluate_OnlyMarkedPairsCount_OtherMatchesSetTheCutoffAndAreFiltered()
    {
        // R(q) = {q (0), a (1), b (2)}; only b is held out. Full ranking [a, q, x, b]: b is 4th, outside the top |R(q)| = 3.
        // The filtered ranking drops a and q: [x, b], so b is 2nd for recall@k, MAP and NDCG.
        string[] retrieved = ["a", "q", "x", "b"];
        HeldOutPair[] rows =
        [
            new() { Query = "q", Document = "q", Distance = 0, Held = false, Documents = retrieved },
            new() { Query = "q", Document = "a", Distance = 1, Held = false, Documents = retrieved },
            new() { Query = "q", Document = "b", Distance = 2, Held = true, Documents = retrieved },
            new() { Query = "r", Document = "r", Distance = 0, Held = false, Documents = ["r"] },
        ];
        var metrics = _mlContext.HierarchicalRetrieval().Evaluate(_mlContext.Data.LoadFromEnumerable(rows), new RetrievalEvaluatorOptions { EvaluatedColumnName = nameof(HeldOutPair.Held) });
        Assert.Multiple(() =>
        {
            Assert.That(metrics.Queries, Is.EqualTo(1), "r has no held-out pair");
            Assert.That(metrics.Pairs, Is.EqualTo(1));
            Assert.That(metrics.Overall, Is.Zero);
            Assert.That(metrics.RecallAtK, Is.EqualTo(1));
            Assert.That(metrics.MeanAveragePrecision, Is.EqualTo(0.5));
            Assert.That(metrics.Ndcg, Is.EqualTo(1 / Math.Log2(3)).Within(1e-12));
            Assert.That(metrics.RecallByDistance.Keys, Is.EqualTo(new[] { 2 }));
        });
    }

    [Test]
    public void Ndcg_EqualsMLNetsRankingEvaluator()
    {
        // Random rankings of 40 candidates per query, with 1 to 6 relevant documents each, k = 10.
        const int k = 10;
        var random = new Random(5);
        var pairs = new List<ScoredPair>();
        var ranked = new List<RankedRow>();
        for (uint q = 1; q <= 60; q++)
        {
            string query = $"q{q}";
            string[] candidates = [query, .. Enumerable.Range(0, 39).Select(i => $"d{i}")];
            random.Shuffle(candidates);
            var relevant = candidates.OrderBy(_ => random.Next()).Take(random.Next(1, 7)).Append(query).Distinct().ToArray();
            string[] retrieved = candidates[..k];
            pairs.AddRange(relevant.Select(d => new ScoredPair { Query = query, Document = d, Distance = d == query ? 0 : 1, Documents = retrieved }));

            // ML.NET sees every candidate with its rank as score, so its ideal ranking knows every relevant document.
            ranked.AddRange(candidates.Select((d, rank) => new RankedRow { Group = q, Label = relevant.Contains(d) ? 1 : 0, Score = candidates.Length - rank }));
        }

        var ours = _mlContext.HierarchicalRetrieval().Evaluate(_mlContext.Data.LoadFromEnumerable(pairs));
        var data = _mlContext.Data.LoadFromEnumerable(ranked, SchemaDefinitionWithKeyGroup(60));
        var theirs = _mlContext.Ranking.Evaluate(data, labelColumnName: nameof(RankedRow.Label), rowGroupColumnName: nameof(RankedRow.Group), scoreColumnName: nameof(RankedRow.Score));
        Assert.That(ours.Ndcg, Is.EqualTo(theirs.NormalizedDiscountedCumulativeGains[k - 1]).Within(1e-9));
    }

    [Test]
    public void MissingColumns_AreNamed()
    {
        var data = _mlContext.Data.LoadFromEnumerable(new[] { new { Query = "q", Document = "d", Distance = 1 } });
        Assert.That(() => _mlContext.HierarchicalRetrieval().Evaluate(data), Throws.InstanceOf<ArgumentOutOfRangeException>().With.Message.Contains("retrieved-documents column 'Documents' was not found; expected a vector of String"));
    }

    private static SchemaDefinition SchemaDefinitionWithKeyGroup(int groups)
    {
        var definition = SchemaDefinition.Create(typeof(RankedRow));
        definition[nameof(RankedRow.Group)].ColumnType = new KeyDataViewType(typeof(uint), groups + 1);
        return definition;
    }
}
