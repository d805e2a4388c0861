using HierRetrieval.Data.Esci;
using HierRetrieval.Data.Hierarchies;
using HierRetrieval.Data.Pairs;
using HierRetrieval.Runs.Splits;
using HierRetrieval.Evaluation.Shopping;
using HierRetrieval.Retrieval;
using HierRetrieval.Runtime.Shopping;
using HierRetrieval.Runtime.Text;
using HierRetrieval.Runtime.Text.Backbones;
using HierRetrieval.Training;
using HierRetrieval.Training.Recipes;
using HierRetrieval.Training.Towers;
using Microsoft.ML;

namespace HierRetrieval.Runs.Shopping;

/// <summary>Settings of a shopping run.</summary>
public sealed record EsciTrainingOptions
{
    /// <summary>Which judgements train which stage.</summary>
    public EsciRecipe Recipe { get; init; } = EsciRecipe.ExactThenSubstitute;

    /// <summary>
    /// Trainer settings (dimension, batch, negatives, seed, threads). Its stages and far threshold are replaced: the
    /// recipe's stages are made of <see cref="FirstStage"/> and <see cref="SubstituteStage"/>, and Substitute pairs are far.
    /// </summary>
    public DualEncoderTrainerOptions Trainer { get; init; } = new() { Dimension = 64, BatchSize = 256, RandomNegatives = 512 };

    /// <summary>The first stage: Exact pairs (and Substitute pairs too, for <see cref="EsciRecipe.Mix"/>).</summary>
    public StageOptions FirstStage { get; init; } = TrainingRecipes.Pretrain with { Steps = 2000, LearningRate = 3e-3 };

    /// <summary>The Substitute stage of <see cref="EsciRecipe.ExactThenSubstitute"/>.</summary>
    public StageOptions SubstituteStage { get; init; } = TrainingRecipes.Finetune with { LearningRate = 3e-6 };

    /// <summary>
    /// Fraction of each Substitute-stage batch replayed from every training judgement, Exact ones included, so that the
    /// stage also holds queries near their own type; the rest are Substitute pairs. 0 (the default) is the recipe as
    /// specified: Substitute pairs only. Below 1; <see cref="EsciRecipe.ExactThenSubstitute"/> only.
    /// </summary>
    public double ExactReplay { get; init; }

    /// <summary>The trainer settings this recipe runs with.</summary>
    /// <exception cref="ArgumentException"><see cref="ExactReplay"/> is outside [0, 1), or set for a one-stage recipe.</exception>
    internal DualEncoderTrainerOptions RecipeTrainer
    {
        get
        {
            if (ExactReplay is not (>= 0 and < 1))
            {
                throw new ArgumentException($"ExactReplay must be at least 0 and below 1 (got {ExactReplay})", nameof(ExactReplay));
            }

            if (ExactReplay > 0 && Recipe != EsciRecipe.ExactThenSubstitute)
            {
                throw new ArgumentException($"ExactReplay replays Exact pairs in the Substitute stage, which only exact-then-substitute has (the recipe is {Recipe})", nameof(ExactReplay));
            }

            var stages = TrainingRecipes.Create(Recipe == EsciRecipe.ExactThenSubstitute ? TrainingRecipe.NearThenFar : TrainingRecipe.Standard, FirstStage, SubstituteStage);
            return Trainer with
            {
                Stages = ExactReplay > 0 ? [stages[0], stages[1] with { Pairs = StagePairs.Rebalanced, FarFraction = 1 - ExactReplay }] : stages,
                FarThreshold = EsciTrainer.SubstituteDistance,
            };
        }
    }

    /// <summary>The text towers' shape.</summary>
    public TextTowerOptions Towers { get; init; } = new();

    /// <summary>Tokenisation and features.</summary>
    public TextFeaturizerOptions Features { get; init; } = new();

    /// <summary>One tower for queries and products (shared weights) instead of two.</summary>
    public bool SharedTowers { get; init; }

    /// <summary>Fraction of the training judgements held out to validate (early stopping).</summary>
    public double ValidationFraction { get; init; } = 0.05;

    /// <summary>A pretrained sentence encoder whose frozen embeddings feed trainable heads (<see cref="Heads"/>) instead of text towers learned from scratch; null for the latter.</summary>
    public SentenceEncoderModel? Backbone { get; init; }

    /// <summary>The heads over <see cref="Backbone"/> (per-item vectors are refused: a test query is a new text).</summary>
    public BackboneTowerOptions Heads { get; init; } = new();

    /// <summary>Folder of <see cref="Backbone"/>'s embedding cache; null encodes every run.</summary>
    public string? EmbeddingCache { get; init; }
}

/// <summary>
/// Trains text towers on ESCI judgements: queries and products are nodes with texts, Exact judgements are distance-1
/// pairs and Substitute ones distance 2 (Complement and Irrelevant are not matches). The towers are those of
/// <see cref="TextTower"/>, or heads over a frozen sentence encoder (<see cref="BackboneTower"/>), trained by the
/// same <see cref="DualEncoderTrainer"/>; only the towers differ.
/// </summary>
public static class EsciTrainer
{
    private const int ExactDistance = 1;

    /// <summary>The distance of a Substitute pair (Exact pairs are at 1).</summary>
    internal const int SubstituteDistance = 2;

    /// <summary>Trains on <paramref name="train"/>'s judgements; every product of <paramref name="train"/> is embedded into the corpus.</summary>
    /// <returns>The model.</returns>
    /// <exception cref="ArgumentException">There are no Exact (or, for the recipes that need them, Substitute) judgements.</exception>
    /// <param name="mlContext">The context of the featurizer.</param>
    /// <param name="train">The training judgements and products.</param>
    /// <param name="productFields">The fields <paramref name="train"/>'s product texts were composed from, recorded in the model.</param>
    /// <param name="options">Recipe, trainer, towers and features.</param>
    /// <param name="progress">Receives progress after every step.</param>
    /// <param name="cancellationToken">Stops between steps.</param>
    /// <param name="encoding">With a backbone: texts encoded so far, of how many.</param>
    public static EsciModel Train(
        MLContext mlContext, EsciDataset train, IReadOnlyList<ProductField> productFields, EsciTrainingOptions options, IProgress<TrainingProgress>? progress = null, IProgress<(long Done, long Total)>? encoding = null, CancellationToken cancellationToken = default)
    {
        if (options.Backbone is not null && options.Heads.ItemEmbeddings)
        {
            throw new ArgumentException("per-item vectors (Heads.ItemEmbeddings) are not available for shopping: a test query is a new text", nameof(options));
        }

        var nodes = new Dictionary<string, int>(StringComparer.Ordinal);
        var texts = new List<string>();
        var keys = new List<string>();
        int Node(string key, string text)
        {
            if (!nodes.TryGetValue(key, out int node))
            {
                node = texts.Count;
                nodes.Add(key, node);
                keys.Add(key);
                texts.Add(text);
            }

            return node;
        }

        var productIds = train.ProductIds;
        foreach (string id in productIds)
        {
            Node("p:" + id, train.ProductTexts[id]);
        }

        var pairs = new List<MatchedPair>();
        foreach (var judgement in train.Judgements)
        {
            int distance = judgement.Label switch
            {
                EsciLabel.Exact => ExactDistance,
                EsciLabel.Substitute when options.Recipe != EsciRecipe.ExactOnly => SubstituteDistance,
                _ => 0,
            };
            if (distance > 0)
            {
                pairs.Add(new MatchedPair(Node("q:" + judgement.QueryId, judgement.Query), nodes["p:" + judgement.ProductId], distance));
            }
        }

        if (!pairs.Any(p => p.Distance == ExactDistance))
        {
            throw new ArgumentException("the training data has no Exact judgements", nameof(train));
        }

        var input = new RunInput("esci", keys, TransitiveClosure.FromPairs(texts.Count, pairs), new KnownHeldOutSplitPolicy([], options.ValidationFraction, options.Trainer.Seed));
        var trainer = options.RecipeTrainer;
        var run = new TrainingRun(new TrainingRunOptions { Trainer = trainer });
        int[] productRows = [.. Enumerable.Range(0, productIds.Count)];
        if (options.Backbone is { } backbone)
        {
            var sentences = Encode(backbone, texts, options, encoding, cancellationToken);
            var device = DualEncoderTrainer.ResolveDevice(trainer.Device);
            using var queries = new BackboneTower(sentences, trainer.Dimension, options.Heads, trainer.Seed, device);
            using var separate = options.SharedTowers ? null : new BackboneTower(sentences, trainer.Dimension, options.Heads, trainer.Seed + 1L, device);
            var documents = separate ?? queries;
            var trained = run.Train(input, queries, documents, progress, cancellationToken);
            return new EsciBackboneModel(backbone, queries.ExportWeights(), documents.ExportWeights(), productIds, trained.Embeddings.Documents.SelectRows(productRows), productFields)
            {
                EncoderThreads = trainer.Threads,
            };
        }

        var featurizer = TextFeaturizer.Fit(mlContext, texts, options.Features, inputColumnName: "Query");
        var bags = featurizer.Featurize(texts);
        using var towers = new TextTowerPair(bags, bags, trainer, options.Towers, options.SharedTowers);
        var result = run.Train(input, towers.Queries, towers.Documents, progress, cancellationToken);
        return new EsciTextModel(featurizer, towers.Queries.ExportWeights(), towers.Documents.ExportWeights(), productIds, result.Embeddings.Documents.SelectRows(productRows), productFields);
    }

    /// <summary>
    /// The backbone alone, untrained: recall@k by label and NDCG@k of <paramref name="test"/>'s queries among
    /// <paramref name="corpus"/>'s products, both embedded by the frozen encoder (what sentence-transformers gives out of the box).
    /// </summary>
    public static EsciMetrics ZeroShot(SentenceEncoderModel backbone, EsciDataset corpus, EsciDataset test, int k, EsciTrainingOptions options, IVectorIndexFactory? indexes = null, CancellationToken cancellationToken = default)
    {
        var productIds = corpus.ProductIds;
        var products = Encode(backbone, [.. productIds.Select(id => corpus.ProductTexts[id])], options, encoding: null, cancellationToken);
        return EsciEvaluator.Evaluate(texts => Encode(backbone, [.. texts], options, encoding: null, cancellationToken), productIds, products, test, k, indexes);
    }

    /// <summary>The backbone's embeddings of <paramref name="texts"/> (through the cache when there is one).</summary>
    private static EmbeddingMatrix Encode(SentenceEncoderModel backbone, IReadOnlyList<string> texts, EsciTrainingOptions options, IProgress<(long Done, long Total)>? encoding, CancellationToken cancellationToken)
    {
        using var encoder = new SentenceEncoder(backbone, new SentenceEncoderOptions { Threads = options.Trainer.Threads });
        return options.EmbeddingCache is { } folder
            ? new SentenceEmbeddingCache(folder).Encode(encoder, texts, encoding, cancellationToken).Embeddings
            : encoder.Encode(texts, encoding, cancellationToken);
    }
}
