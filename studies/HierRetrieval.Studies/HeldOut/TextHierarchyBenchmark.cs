using HierRetrieval.Data.Hierarchies;
using HierRetrieval.Data.Pairs;
using HierRetrieval.Evaluation;
using HierRetrieval.Training;
using HierRetrieval.Runs;
using HierRetrieval.Runs.Splits;
using HierRetrieval.Retrieval;
using HierRetrieval.Runtime.Text;
using HierRetrieval.Runtime.Text.Backbones;
using HierRetrieval.Studies.TopLayer;
using HierRetrieval.Training.Recipes;
using HierRetrieval.Training.Towers;
using Microsoft.ML;

namespace HierRetrieval.Studies.HeldOut;

/// <summary>What a text hierarchy benchmark holds out of training.</summary>
public enum HeldOutUnit
{
    /// <summary>Whole nodes: their pairs (as query or document) and their texts; each must retrieve its ancestors from text alone.</summary>
    Nodes,

    /// <summary>Random (node, ancestor) pairs, as in the lookup-table runs: every node is seen, some of its links are not.</summary>
    Pairs,
}

/// <summary>Settings of <see cref="TextHierarchyBenchmark"/>.</summary>
public sealed record TextHierarchyBenchmarkOptions
{
    /// <summary>Hold out nodes (the default) or pairs.</summary>
    public HeldOutUnit HeldOut { get; init; } = HeldOutUnit.Nodes;

    /// <summary>Fraction held out for the test: of the nodes that have ancestors, or of the non-self pairs.</summary>
    public double HeldOutFraction { get; init; } = 0.05;

    /// <summary>Whether a node's document text includes its gloss (its query text always does).</summary>
    public bool GlossInDocuments { get; init; }

    /// <summary>Trainer settings shared by the text and the lookup-table models (their stages are replaced, see <see cref="Recipe"/>).</summary>
    public DualEncoderTrainerOptions Trainer { get; init; } = new() { Dimension = 64, BatchSize = 512, RandomNegatives = 1024 };

    /// <summary>The text model's recipe; the lookup tables train the standard recipe with <see cref="FirstStage"/>.</summary>
    public TrainingRecipe Recipe { get; init; } = TrainingRecipe.PretrainFinetune;

    /// <summary>Pretraining (or the only stage) of both models.</summary>
    public StageOptions FirstStage { get; init; } = TrainingRecipes.Pretrain with { Steps = 2000, LearningRate = 3e-3 };

    /// <summary>The text model's finetuning; null is the default finetuning stage at a thousandth of the first stage's learning rate.</summary>
    public StageOptions? FinetuneStage { get; init; }

    /// <summary>The text model's trainer settings.</summary>
    internal DualEncoderTrainerOptions TextTrainer => Trainer with { Stages = TrainingRecipes.Create(Recipe, FirstStage, FinetuneStage) };

    /// <summary>The lookup tables' trainer settings: the standard recipe.</summary>
    internal DualEncoderTrainerOptions LookupTrainer => Trainer with { Stages = TrainingRecipes.Create(TrainingRecipe.Standard, FirstStage) };

    /// <summary>The text towers' shape.</summary>
    public TextTowerOptions Towers { get; init; } = new();

    /// <summary>Tokenisation and features.</summary>
    public TextFeaturizerOptions Features { get; init; } = new();

    /// <summary>
    /// A pretrained sentence encoder whose frozen embeddings of the texts feed trainable heads (<see cref="BackboneTowers"/>)
    /// instead of text towers trained from scratch; null for the latter.
    /// </summary>
    public SentenceEncoderModel? Backbone { get; init; }

    /// <summary>The heads over the backbone.</summary>
    public BackboneTowerOptions BackboneTowers { get; init; } = new();

    /// <summary>
    /// With a backbone: the query tower tunes the encoder's top layer under its head (<see cref="TunedTopLayerTower"/>;
    /// the token states below it computed once), instead of reading the frozen encoder's embeddings.
    /// </summary>
    public bool TuneQueryTopLayer { get; init; }

    /// <summary>The tuned top layer's learning rate as a multiple of the stage's.</summary>
    public double TopLayerLearningRateScale { get; init; } = 0.01;

    /// <summary>Folder of the backbone's embedding cache (texts encoded once across runs); null encodes every run.</summary>
    public string? EmbeddingCache { get; init; }

    /// <summary>With held-out pairs: also evaluate each model on the test pairs of each evidence class (what the training pairs say about a held-out pair).</summary>
    public bool ByEvidence { get; init; }
}

/// <summary>Test metrics: text towers after each stage, and lookup tables trained on the same pairs.</summary>
/// <param name="TestQueries">Queries of the test pairs (the held-out nodes, when nodes are held out).</param>
/// <param name="Text">The text model (the recipe's result).</param>
/// <param name="TextFirstStage">The text model after its first stage (the standard recipe's model for pretrain-finetune), or null for one-stage recipes.</param>
/// <param name="LookupTable">Lookup tables trained with the same settings on the same pairs (standard recipe).</param>
/// <param name="ZeroShot">The backbone alone, untrained (cosine of its query-text and document-text embeddings), when there is a backbone.</param>
public sealed record TextHierarchyBenchmarkResult(
    int TestQueries, HierarchyRetrievalMetrics Text, HierarchyRetrievalMetrics? TextFirstStage, HierarchyRetrievalMetrics LookupTable, HierarchyRetrievalMetrics? ZeroShot = null)
{
    /// <summary>
    /// With a backbone and held-out nodes: the lookup tables with each held-out node's rows borrowed from its nearest
    /// seen node by the backbone's query-text embeddings (<see cref="NeighbourRows"/>); null otherwise.
    /// </summary>
    public HierarchyRetrievalMetrics? NeighbourLookupTable { get; init; }

    /// <summary>With <see cref="TextHierarchyBenchmarkOptions.ByEvidence"/>: the text model, the lookup tables and (with a backbone) zero-shot on each evidence class's test pairs; empty otherwise.</summary>
    public IReadOnlyDictionary<HeldOutEvidence, EvidenceClassMetrics> ByEvidence { get; init; } = new Dictionary<HeldOutEvidence, EvidenceClassMetrics>();
}

/// <summary>Each model's metrics on the test pairs of one evidence class.</summary>
/// <param name="Text">The text model.</param>
/// <param name="LookupTable">The lookup tables.</param>
/// <param name="ZeroShot">The backbone alone, when there is one.</param>
public sealed record EvidenceClassMetrics(HierarchyRetrievalMetrics Text, HierarchyRetrievalMetrics LookupTable, HierarchyRetrievalMetrics? ZeroShot);

/// <summary>
/// Hierarchical retrieval from node text (WordNet: a synset's query text is its lemmas and gloss, its document text its
/// lemmas). Held-out nodes: a seeded set of nodes leaves training (their pairs and texts), and each must retrieve its
/// ancestors among all nodes from its text alone, which lookup tables cannot do at all. Held-out pairs: the lookup
/// tables' protocol (a seeded pair split, self pairs in training), where text links a node to an ancestor whose link
/// was never trained.
/// </summary>
public static class TextHierarchyBenchmark
{
    /// <summary>Runs both models on <paramref name="hierarchy"/>; a node without text (an edge list's) is read as its id.</summary>
    /// <exception cref="ArgumentException">The fraction is out of (0, 1) (below 0.5 for pairs).</exception>
    /// <param name="mlContext">The context of the from-scratch featurizer.</param>
    /// <param name="hierarchy">The hierarchy.</param>
    /// <param name="options">The settings.</param>
    /// <param name="progress">Training progress of each model.</param>
    /// <param name="encoding">Texts encoded by the backbone so far, of how many.</param>
    /// <param name="cancellationToken">Stops training.</param>
    public static TextHierarchyBenchmarkResult Run(
        MLContext mlContext, Hierarchy hierarchy, TextHierarchyBenchmarkOptions options, IProgress<TrainingProgress>? progress = null, IProgress<(long Done, long Total)>? encoding = null, CancellationToken cancellationToken = default)
    {
        if (options.HeldOutFraction is <= 0 or >= 1 || (options.HeldOut == HeldOutUnit.Pairs && options.HeldOutFraction >= 0.5))
        {
            throw new ArgumentOutOfRangeException(nameof(options), $"HeldOutFraction must be in (0, {(options.HeldOut == HeldOutUnit.Pairs ? 0.5 : 1)}), found {options.HeldOutFraction}");
        }

        if (options.ByEvidence && options.HeldOut != HeldOutUnit.Pairs)
        {
            throw new ArgumentException("ByEvidence needs held-out pairs: evidence classes say what the training pairs tell about a held-out pair", nameof(options));
        }

        if (options.TuneQueryTopLayer && options.Backbone is null)
        {
            throw new ArgumentException("TuneQueryTopLayer needs a Backbone: an encoder whose top layer to tune", nameof(options));
        }

        SplitPolicy policy = options.HeldOut == HeldOutUnit.Nodes
            ? new NodeSplitPolicy(options.HeldOutFraction, ValidationFraction: 0.05, options.Trainer.Seed)
            : new PairSplitPolicy(new PairSplitOptions { ValidationFraction = 0.05, TestFraction = options.HeldOutFraction, Seed = options.Trainer.Seed });
        var input = RunInput.ForHierarchy("text hierarchy benchmark", hierarchy, policy);
        var heldOut = input.Split.HeldOutNodes;
        int[] seen = [.. Enumerable.Range(0, hierarchy.Count).Where(n => !heldOut.Contains(n))];
        string[] queryTexts = [.. Enumerable.Range(0, hierarchy.Count).Select(n => Text(hierarchy.TextOrIdOf(n), gloss: true))];
        string[] documentTexts = [.. Enumerable.Range(0, hierarchy.Count).Select(n => Text(hierarchy.TextOrIdOf(n), options.GlossInDocuments))];
        var run = new TrainingRunOptions { Trainer = options.TextTrainer, Test = new HierarchyEvaluatorOptions { Threads = options.Trainer.Threads, DistanceBucketCap = 8 } };
        TrainingRunResult text;
        NodeEmbeddings? backboneEmbeddings = null;
        if (options.Backbone is { } backbone)
        {
            var (queryInputs, documentInputs) = Encode(backbone, queryTexts, documentTexts, options, encoding, cancellationToken);
            backboneEmbeddings = new NodeEmbeddings(queryInputs, documentInputs);
            var device = DualEncoderTrainer.ResolveDevice(run.Trainer.Device);
            using ITrainableTower queries = options.TuneQueryTopLayer
                ? TunedTopLayer(backbone, queryTexts, run.Trainer, options, device, encoding, cancellationToken)
                : new BackboneTower(queryInputs, run.Trainer.Dimension, options.BackboneTowers, run.Trainer.Seed, device);
            using var documents = new BackboneTower(documentInputs, run.Trainer.Dimension, options.BackboneTowers, run.Trainer.Seed + 1L, device);
            text = new TrainingRun(run).Train(input, queries, documents, progress, cancellationToken);
        }
        else
        {
            var featurizer = TextFeaturizer.Fit(mlContext, seen.Select(n => queryTexts[n]).Concat(seen.Select(n => documentTexts[n])), options.Features);
            using var towers = new TextTowerPair(featurizer.Featurize(queryTexts), featurizer.Featurize(documentTexts), run.Trainer, options.Towers);
            text = new TrainingRun(run).Train(input, towers.Queries, towers.Documents, progress, cancellationToken);
        }

        var lookup = new TrainingRun(run with { Trainer = options.LookupTrainer }).Train(input, progress, cancellationToken);
        var evaluator = new HierarchyEvaluator(run.Test);
        HierarchyRetrievalMetrics? Baseline(PairSet pairs) => backboneEmbeddings is null ? null : evaluator.Evaluate(input.Closure, backboneEmbeddings, pairs, cancellationToken: cancellationToken);
        var split = input.Split.Split;
        var byEvidence = options.ByEvidence
            ? new HeldOutEvidenceClassifier(hierarchy.Count, split.Train).Partition(split.Test).ToDictionary(
                kv => kv.Key,
                kv => new EvidenceClassMetrics(
                    evaluator.Evaluate(input.Closure, text.Embeddings, kv.Value, cancellationToken: cancellationToken),
                    evaluator.Evaluate(input.Closure, lookup.Embeddings, kv.Value, cancellationToken: cancellationToken),
                    Baseline(kv.Value)))
            : [];
        var borrowed = backboneEmbeddings is not null && options.HeldOut == HeldOutUnit.Nodes
            ? evaluator.Evaluate(input.Closure, NeighbourRows.Borrow(lookup.Embeddings, backboneEmbeddings.Queries, heldOut, options.Trainer.Threads).Embeddings, split.Test, cancellationToken: cancellationToken)
            : null;
        return new TextHierarchyBenchmarkResult(split.Test.Queries().Length, text.Test!, text.EarlierStages.FirstOrDefault()?.Test, lookup.Test!, Baseline(split.Test))
        {
            ByEvidence = byEvidence,
            NeighbourLookupTable = borrowed,
        };
    }

    /// <summary>A query tower that tunes <paramref name="backbone"/>'s top layer over the query texts' token states below it.</summary>
    private static TunedTopLayerTower TunedTopLayer(
        SentenceEncoderModel backbone, string[] queryTexts, DualEncoderTrainerOptions trainer, TextHierarchyBenchmarkOptions options, TorchSharp.torch.Device device, IProgress<(long Done, long Total)>? encoding, CancellationToken cancellationToken)
    {
        var (layer, states) = EncoderTopLayer.Split(backbone, queryTexts, trainer.Threads, encoding, cancellationToken);
        return new TunedTopLayerTower(states, layer, backbone.Pooling, trainer.Dimension, options.BackboneTowers, options.TopLayerLearningRateScale, trainer.Seed, device);
    }

    /// <summary>The backbone's embeddings of both text sets, each distinct text encoded once (or read from the cache).</summary>
    private static (EmbeddingMatrix Queries, EmbeddingMatrix Documents) Encode(
        SentenceEncoderModel backbone, string[] queryTexts, string[] documentTexts, TextHierarchyBenchmarkOptions options, IProgress<(long Done, long Total)>? encoding, CancellationToken cancellationToken)
    {
        using var encoder = new SentenceEncoder(backbone, new SentenceEncoderOptions { Threads = options.Trainer.Threads });
        string[] distinct = [.. queryTexts.Concat(documentTexts).Distinct(StringComparer.Ordinal)];
        var embeddings = options.EmbeddingCache is { } folder
            ? new SentenceEmbeddingCache(folder).Encode(encoder, distinct, encoding, cancellationToken).Embeddings
            : encoder.Encode(distinct, encoding, cancellationToken);
        var rowOf = distinct.Select((text, row) => (text, row)).ToDictionary(p => p.text, p => p.row, StringComparer.Ordinal);
        return (RowsOf(queryTexts), RowsOf(documentTexts));

        EmbeddingMatrix RowsOf(string[] texts)
        {
            var rows = new EmbeddingMatrix(texts.Length, embeddings.Dimension);
            for (int i = 0; i < texts.Length; i++)
            {
                embeddings.Row(rowOf[texts[i]]).CopyTo(rows.Row(i));
            }

            return rows;
        }
    }

    private static string Text(NodeText text, bool gloss)
    {
        string lemmas = string.Join(' ', text.Lemmas.Select(l => l.Replace('_', ' ')));
        return gloss && text.Gloss.Length > 0 ? $"{lemmas} ; {text.Gloss}" : lemmas;
    }
}
