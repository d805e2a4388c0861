using HierRetrieval.Data.Hierarchies;
using HierRetrieval.Data.Pairs;
using HierRetrieval.Evaluation;
using HierRetrieval.Retrieval;
using HierRetrieval.Training;
using HierRetrieval.Training.Recipes;
using HierRetrieval.Training.Towers;
using Microsoft.ML;

namespace HierRetrieval.MLNet.Text;

/// <summary>Settings of <see cref="HeldOutNodeBenchmark"/>.</summary>
public sealed record HeldOutNodeOptions
{
    /// <summary>Fraction of the nodes that have ancestors held out: never seen in training, text or pairs.</summary>
    public double HeldOutFraction { get; init; } = 0.05;

    /// <summary>Whether a node's document text includes its gloss (its query text always does).</summary>
    public bool GlossInDocuments { get; init; }

    /// <summary>Trainer settings for both the text and the lookup-table models (recipe included).</summary>
    public DualEncoderTrainerOptions Trainer { get; init; } = new() { Dimension = 64, Steps = 2000, BatchSize = 512, RandomNegatives = 1024, LearningRate = 3e-3 };

    /// <summary>The text towers' shape.</summary>
    public TextTowerOptions Towers { get; init; } = new();

    /// <summary>Tokenisation and features.</summary>
    public TextFeaturizerOptions Features { get; init; } = new();
}

/// <summary>Test metrics on the held-out nodes: text towers after each stage, and lookup tables trained on the same pairs.</summary>
/// <param name="HeldOutNodes">Nodes held out.</param>
/// <param name="Text">The text model (the recipe's result).</param>
/// <param name="TextFirstStage">The text model after its first stage (the standard recipe's model for pretrain-finetune), or null for one-stage recipes.</param>
/// <param name="LookupTable">Lookup tables trained with the same settings on the same pairs.</param>
public sealed record HeldOutNodeResult(int HeldOutNodes, HierarchyRetrievalMetrics Text, HierarchyRetrievalMetrics? TextFirstStage, HierarchyRetrievalMetrics LookupTable);

/// <summary>
/// Hierarchical retrieval from text for nodes never seen in training: a seeded set of nodes is held out (their
/// pairs, as query or as document, and their texts leave training); each held-out node's text (lemmas and gloss) must
/// retrieve its ancestors among all nodes. Lookup tables cannot embed an unseen node, which the same run measures.
/// </summary>
public static class HeldOutNodeBenchmark
{
    /// <summary>Runs both models on <paramref name="hierarchy"/> (which must carry node text).</summary>
    /// <exception cref="ArgumentException">The hierarchy has no node text, or the fraction is out of (0, 1).</exception>
    public static HeldOutNodeResult Run(MLContext mlContext, Hierarchy hierarchy, HeldOutNodeOptions options, IProgress<TrainingProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        if (!hierarchy.HasText)
        {
            throw new ArgumentException("the hierarchy has no node text (WordNet has lemmas and glosses; an edge list has none)", nameof(hierarchy));
        }

        if (options.HeldOutFraction is <= 0 or >= 1)
        {
            throw new ArgumentOutOfRangeException(nameof(options), $"HeldOutFraction must be in (0, 1), found {options.HeldOutFraction}");
        }

        var closure = hierarchy.Closure;
        var random = new Random(options.Trainer.Seed);
        int[] candidates = [.. Enumerable.Range(0, hierarchy.Count).Where(n => closure.MatchSetSize(n) > 1)];
        var heldOut = random.GetItems(candidates, candidates.Length).Distinct().Take((int)Math.Round(candidates.Length * options.HeldOutFraction)).ToHashSet();
        var trainPairs = PairSet.All(closure).Pairs.ToArray().Where(p => !heldOut.Contains(p.Query) && !heldOut.Contains(p.Document));
        var trainClosure = TransitiveClosure.FromPairs(hierarchy.Count, trainPairs);
        var split = PairSplitter.Split(trainClosure, new PairSplitOptions { ValidationFraction = 0.05, TestFraction = 0, Seed = options.Trainer.Seed });
        split = split with { Train = split.Train.Where(p => !heldOut.Contains(p.Query)) };
        var test = PairSet.ForQueries(closure, heldOut, includeSelf: false);

        string[] queryTexts = [.. Enumerable.Range(0, hierarchy.Count).Select(n => Text(hierarchy.TextOf(n)!, gloss: true))];
        string[] documentTexts = [.. Enumerable.Range(0, hierarchy.Count).Select(n => Text(hierarchy.TextOf(n)!, options.GlossInDocuments))];
        var seen = Enumerable.Range(0, hierarchy.Count).Where(n => !heldOut.Contains(n));
        var featurizer = TextFeaturizer.Fit(mlContext, seen.Select(n => queryTexts[n]).Concat(seen.Select(n => documentTexts[n])), options.Features);
        var evaluator = new HierarchyEvaluator(new HierarchyEvaluatorOptions { Threads = options.Trainer.Threads, DistanceBucketCap = 8 });
        NodeEmbeddings? firstStage = null;
        TrainingResult text;
        using (var towers = new TextTowerPair(featurizer.Featurize(queryTexts), featurizer.Featurize(documentTexts), options.Trainer, options.Towers))
        {
            var trainer = new DualEncoderTrainer(options.Trainer);
            trainer.StageCompleted += (_, e) => firstStage ??= e.IsLast ? null : e.Embeddings;
            text = trainer.Train(trainClosure, split, towers.Queries, towers.Documents, progress: progress, cancellationToken: cancellationToken);
        }

        var lookup = new DualEncoderTrainer(options.Trainer with { Recipe = TrainingRecipe.Standard }).Train(trainClosure, split, progress: progress, cancellationToken: cancellationToken);
        HierarchyRetrievalMetrics Evaluate(NodeEmbeddings embeddings) => evaluator.Evaluate(closure, embeddings, test, cancellationToken: cancellationToken);
        return new HeldOutNodeResult(heldOut.Count, Evaluate(text.Embeddings), firstStage is null ? null : Evaluate(firstStage), Evaluate(lookup.Embeddings));
    }

    private static string Text(NodeText text, bool gloss)
    {
        string lemmas = string.Join(' ', text.Lemmas.Select(l => l.Replace('_', ' ')));
        return gloss && text.Gloss.Length > 0 ? $"{lemmas} ; {text.Gloss}" : lemmas;
    }
}
