using HierRetrieval.Data.Esci;
using HierRetrieval.Data.Hierarchies;
using HierRetrieval.Data.Pairs;
using HierRetrieval.Runs.Splits;
using HierRetrieval.Runtime.Shopping;
using HierRetrieval.Runtime.Text;
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

    /// <summary>The trainer settings this recipe runs with.</summary>
    internal DualEncoderTrainerOptions RecipeTrainer => Trainer with
    {
        Stages = TrainingRecipes.Create(Recipe == EsciRecipe.ExactThenSubstitute ? TrainingRecipe.NearThenFar : TrainingRecipe.Standard, FirstStage, SubstituteStage),
        FarThreshold = EsciTrainer.SubstituteDistance,
    };

    /// <summary>The text towers' shape.</summary>
    public TextTowerOptions Towers { get; init; } = new();

    /// <summary>Tokenisation and features.</summary>
    public TextFeaturizerOptions Features { get; init; } = new();

    /// <summary>One tower for queries and products (shared weights) instead of two.</summary>
    public bool SharedTowers { get; init; }

    /// <summary>Fraction of the training judgements held out to validate (early stopping).</summary>
    public double ValidationFraction { get; init; } = 0.05;
}

/// <summary>
/// Trains text towers on ESCI judgements: queries and products are nodes with texts, Exact judgements are distance-1
/// pairs and Substitute ones distance 2 (Complement and Irrelevant are not matches). The towers are those of
/// <see cref="TextTower"/>, trained by the same <see cref="DualEncoderTrainer"/>; only the towers differ.
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
    public static EsciTextModel Train(MLContext mlContext, EsciDataset train, IReadOnlyList<ProductField> productFields, EsciTrainingOptions options, IProgress<TrainingProgress>? progress = null, CancellationToken cancellationToken = default)
    {
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
        var featurizer = TextFeaturizer.Fit(mlContext, texts, options.Features, inputColumnName: "Query");
        var bags = featurizer.Featurize(texts);
        using var towers = new TextTowerPair(bags, bags, trainer, options.Towers, options.SharedTowers);
        var result = new TrainingRun(new TrainingRunOptions { Trainer = trainer }).Train(input, towers.Queries, towers.Documents, progress, cancellationToken);
        int[] productRows = [.. Enumerable.Range(0, productIds.Count)];
        return new EsciTextModel(featurizer, towers.Queries.ExportWeights(), towers.Documents.ExportWeights(), productIds, result.Embeddings.Documents.SelectRows(productRows), productFields);
    }
}
