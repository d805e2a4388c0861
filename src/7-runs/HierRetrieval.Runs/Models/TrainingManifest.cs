using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using HierRetrieval.Data.Hierarchies;
using HierRetrieval.Data.Pairs;
using HierRetrieval.Runs.Splits;
using HierRetrieval.Runs.Validation;
using HierRetrieval.Training;
using HierRetrieval.Training.Recipes;

namespace HierRetrieval.Runs.Models;

/// <summary>How a model was trained: enough to rebuild its data split and to describe it.</summary>
/// <param name="Hierarchy">The hierarchy as given to the catalog (name, spec or path).</param>
/// <param name="Options">The trainer's settings, stages included.</param>
/// <param name="Split">How the pairs were divided.</param>
public sealed record TrainingManifest(string Hierarchy, DualEncoderTrainerOptions Options, SplitPolicy Split)
{
    private static readonly JsonSerializerOptions JsonOptions = new()
    {
        Converters = { new JsonStringEnumConverter() },
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    /// <summary>The recipe's name (<see cref="TrainingRecipes.Names"/>) when the stages came from one; null for a custom list.</summary>
    public string? Recipe { get; init; }

    /// <summary>The protocol whose settings the run used (<see cref="TrainingProtocols.Names"/>), or null.</summary>
    public string? Protocol { get; init; }

    /// <summary>How validation sampled and bucketed its pairs.</summary>
    public ValidationOptions Validation { get; init; } = new();

    /// <summary>The recipe's name, or the stage names joined by " + ".</summary>
    [JsonIgnore]
    public string RecipeDescription => Recipe ?? string.Join(" + ", Options.Stages.Select(s => s.Name));

    /// <summary>The split this model was trained on.</summary>
    public PairSplit SplitPairs(TransitiveClosure closure) => Split.Apply(closure).Split;

    /// <summary>The manifest as JSON (enums by name).</summary>
    public string ToJson(bool indented = false) => JsonSerializer.Serialize(this, indented ? new JsonSerializerOptions(JsonOptions) { WriteIndented = true } : JsonOptions);

    /// <summary>
    /// Reads a manifest, including those written before recipes were lists of stages (flat <c>Finetune*</c>
    /// settings, a pair split and a near fraction), which are converted to the stages they ran.
    /// </summary>
    /// <exception cref="InvalidDataException">The JSON is not a manifest; the message names <paramref name="source"/>.</exception>
    public static TrainingManifest FromJson(string json, string source)
    {
        try
        {
            var node = JsonNode.Parse(json)?.AsObject() ?? throw new InvalidDataException($"{source}: empty manifest");
            if (node["Options"] is JsonObject options && !options.ContainsKey(nameof(DualEncoderTrainerOptions.Stages)))
            {
                return (node.Deserialize<LegacyManifest>(JsonOptions) ?? throw new InvalidDataException($"{source}: empty manifest")).ToManifest();
            }

            return node.Deserialize<TrainingManifest>(JsonOptions) ?? throw new InvalidDataException($"{source}: empty manifest");
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{source}: the training manifest is not valid ({e.Message})", e);
        }
    }

    /// <summary>The manifest format written before recipes were lists of stages.</summary>
    private sealed record LegacyManifest(string Hierarchy, LegacyOptions Options, PairSplitOptions Split)
    {
        public double NearFraction { get; init; } = 1.0;

        public TrainingManifest ToManifest()
        {
            var first = new StageOptions
            {
                Steps = Options.Steps,
                LearningRate = Options.LearningRate,
                Temperature = Options.Temperature,
                ValidationInterval = Options.ValidationInterval,
                MaskFalseNegatives = Options.MaskFalseNegatives,
                EarlyStopping = Options.EarlyStopping,
                FarFraction = Options.FarFraction,
            };
            var finetune = TrainingRecipes.Finetune with
            {
                Steps = Options.FinetuneSteps,
                LearningRate = Options.FinetuneLearningRate ?? (Options.LearningRate / 1000),
                Temperature = Options.FinetuneTemperature,
                ValidationInterval = Options.FinetuneValidationInterval,
                MaskFalseNegatives = Options.FinetuneMaskFalseNegatives,
                EarlyStopping = Options.FinetuneEarlyStopping,
            };
            var trainer = new DualEncoderTrainerOptions
            {
                Dimension = Options.Dimension,
                Stages = TrainingRecipes.Create(Options.Recipe, first, finetune),
                Seed = Options.Seed,
                Threads = Options.Threads,
                Device = Options.Device,
                BatchSize = Options.BatchSize,
                RandomNegatives = Options.RandomNegatives,
                NeighbourNegatives = Options.NeighbourNegatives,
                MaskSource = Options.MaskSource,
                InitialScale = Options.InitialScale,
                Adam = Options.Adam,
                TemperatureConvention = Options.TemperatureConvention,
                FarThreshold = Options.FarThreshold,
            };
            var split = new PairSplitPolicy(Split) { NearFraction = NearFraction, FarThreshold = Options.FarThreshold, ThinningSeed = Options.Seed };
            return new TrainingManifest(Hierarchy, trainer, split)
            {
                Recipe = TrainingRecipes.NameOf(Options.Recipe),
                Validation = new ValidationOptions { Queries = Options.ValidationQueries, DistanceCap = Options.ValidationDistanceCap },
            };
        }
    }

    /// <summary>The trainer settings as they were written before recipes were lists of stages (defaults as then).</summary>
    private sealed record LegacyOptions
    {
        public int Dimension { get; init; } = 64;
        public TrainingRecipe Recipe { get; init; } = TrainingRecipe.PretrainFinetune;
        public int Seed { get; init; }
        public int Threads { get; init; } = Environment.ProcessorCount;
        public string Device { get; init; } = "cpu";
        public int BatchSize { get; init; } = 1024;
        public int RandomNegatives { get; init; } = 4096;
        public int NeighbourNegatives { get; init; }
        public bool MaskFalseNegatives { get; init; } = true;
        public bool FinetuneMaskFalseNegatives { get; init; } = true;
        public Training.Batching.MaskSource MaskSource { get; init; }
        public double InitialScale { get; init; } = 0.05;
        public Training.Optimization.AdamSettings Adam { get; init; } = new();
        public Training.Losses.TemperatureConvention TemperatureConvention { get; init; }
        public int Steps { get; init; } = 8000;
        public double LearningRate { get; init; } = 1e-2;
        public double Temperature { get; init; } = 20;
        public int FarThreshold { get; init; } = 3;
        public int FinetuneSteps { get; init; } = 700;
        public double? FinetuneLearningRate { get; init; }
        public double FinetuneTemperature { get; init; } = 500;
        public double FarFraction { get; init; } = 0.5;
        public int ValidationInterval { get; init; } = 500;
        public int FinetuneValidationInterval { get; init; } = 50;
        public int ValidationQueries { get; init; } = 4096;
        public int? ValidationDistanceCap { get; init; } = 8;
        public EarlyStoppingCriterion EarlyStopping { get; init; } = new() { Patience = 4 };
        public EarlyStoppingCriterion FinetuneEarlyStopping { get; init; } = new() { Patience = 4 };
    }
}
