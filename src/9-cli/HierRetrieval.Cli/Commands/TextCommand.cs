using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using HierRetrieval.Cli.Terminal;
using HierRetrieval.Data.Datasets;
using HierRetrieval.Evaluation;
using HierRetrieval.Studies.HeldOut;
using HierRetrieval.Training.Recipes;
using HierRetrieval.Training.Towers;
using Microsoft.ML;

namespace HierRetrieval.Cli.Commands;

/// <summary><c>hierret train-text</c>: text towers on a hierarchy with node text, evaluated on held-out nodes or pairs against lookup tables.</summary>
internal static class TextCommand
{
    private static readonly TextHierarchyBenchmarkOptions Defaults = new();

    public static Command Create()
    {
        var hierarchy = CommonOptions.Hierarchy(HierarchyCatalog.WordNetMammalsName);
        var unit = new Option<HeldOutUnit>("--held-out") { Description = "Hold out whole nodes (never seen: their texts and pairs) or random pairs (the lookup tables' protocol of hierret train).", DefaultValueFactory = _ => HeldOutUnit.Nodes };
        var heldOut = new Option<double>("--held-out-fraction") { Description = "Fraction held out for the test: of the nodes with ancestors (nodes, below 1), or of the non-self pairs (pairs, below 0.5).", DefaultValueFactory = _ => 0.05 };
        CommonOptions.Require(heldOut, v => v is > 0 and < 1, v => $"--held-out-fraction must be in (0, 1), got {v}");
        var recipe = new Option<string>("--recipe") { Description = "The text model's recipe (lookup tables use standard).", DefaultValueFactory = _ => "pretrain-finetune" };
        recipe.AcceptOnlyFromAmong("standard", "pretrain-finetune", "rebalanced");
        var dimension = CommonOptions.AtLeast("--dim", 1, "Embedding dimension.", 64);
        var hidden = CommonOptions.AtLeast("--hidden", 1, "Width of the feature embeddings and hidden layer.", new TextTowerOptions().HiddenSize);
        var steps = CommonOptions.AtLeast("--steps", 1, "Pretraining steps (both models).", 2000);
        var finetuneSteps = CommonOptions.AtLeast("--finetune-steps", 1, "Finetuning steps of the text model.", 300);
        var batchSize = CommonOptions.AtLeast("--batch-size", 2, "Pairs per batch.", 512);
        var negatives = CommonOptions.AtLeast("--negatives", 0, "Random negatives per batch.", 1024);
        var validateEvery = CommonOptions.AtLeast("--validate-every", 1, "Steps between validation points in pretraining (finetuning validates every 50).", Defaults.FirstStage.ValidationInterval);
        var nodeText = CommonOptions.NodeText();
        var backbone = CommonOptions.Backbone();
        var headHidden = CommonOptions.HeadHidden();
        var itemEmbeddings = new Option<bool>("--item-embeddings") { Description = "Heads over a backbone add a trainable vector per node (a hybrid tower): nodes seen in training keep what their links taught." };
        var tuneTopLayer = new Option<bool>("--tune-top-layer") { Description = "With --backbone: the query tower tunes the encoder's top layer under its head (token states below it computed once per run) instead of reading frozen embeddings." };
        var topLayerScale = new Option<double>("--top-layer-lr-scale") { Description = "With --tune-top-layer: the top layer's learning rate as a multiple of each stage's.", DefaultValueFactory = _ => Defaults.TopLayerLearningRateScale };
        CommonOptions.Require(topLayerScale, v => v is > 0 and <= 1, v => $"--top-layer-lr-scale must be in (0, 1], got {v}");
        var embeddingCache = CommonOptions.EmbeddingCache();
        var glossInDocuments = new Option<bool>("--gloss-in-documents") { Description = "Document texts include the gloss (query texts always do)." };
        var byEvidence = new Option<bool>("--by-evidence") { Description = "With --held-out pairs: also report the test pairs apart by what the training pairs say about them (a path of two training pairs, a shared descendant, or nothing)." };
        var seed = CommonOptions.Seed("the held-out nodes or pairs, initial values and batches");
        var threads = CommonOptions.Threads();
        var json = CommonOptions.Json();
        var command = new Command("train-text", "Train text towers (from scratch or heads over a pretrained sentence encoder) on a hierarchy's node texts (WordNet's lemmas and gloss, --node-text, or else the ids); report recall by distance on held-out nodes or pairs, beside lookup tables trained on the same pairs.")
        {
            hierarchy, nodeText, unit, heldOut, recipe, dimension, hidden, backbone, headHidden, itemEmbeddings, tuneTopLayer, topLayerScale, embeddingCache, steps, finetuneSteps, batchSize, negatives, validateEvery, glossInDocuments, byEvidence, seed, threads, json,
        };
        command.SetAction((parse, cancellationToken) => Task.FromResult(CommandOutput.Run(parse, json, output =>
        {
            var loaded = CommonOptions.LoadHierarchy(parse.GetValue(hierarchy)!, parse.GetValue(nodeText));
            var held = parse.GetValue(unit);
            if (held == HeldOutUnit.Pairs && parse.GetValue(heldOut) >= 0.5)
            {
                throw new UserInputException($"--held-out-fraction must be below 0.5 with --held-out pairs, got {parse.GetValue(heldOut)}");
            }

            if (parse.GetValue(byEvidence) && held != HeldOutUnit.Pairs)
            {
                throw new UserInputException("--by-evidence needs --held-out pairs: it sorts held-out pairs by what the training pairs say about them");
            }

            var options = new TextHierarchyBenchmarkOptions
            {
                HeldOut = held,
                HeldOutFraction = parse.GetValue(heldOut),
                GlossInDocuments = parse.GetValue(glossInDocuments),
                ByEvidence = parse.GetValue(byEvidence),
                Towers = new TextTowerOptions { HiddenSize = parse.GetValue(hidden) },
                Backbone = CommonOptions.ResolveBackbone(parse.GetValue(backbone)!),
                BackboneTowers = new BackboneTowerOptions { HiddenSize = parse.GetValue(headHidden), ItemEmbeddings = parse.GetValue(itemEmbeddings) },
                TuneQueryTopLayer = parse.GetValue(tuneTopLayer),
                TopLayerLearningRateScale = parse.GetValue(topLayerScale),
                EmbeddingCache = CommonOptions.ResolveEmbeddingCache(parse.GetValue(embeddingCache)!),
                Recipe = TrainingRecipes.Names[parse.GetValue(recipe)!],
                FirstStage = Defaults.FirstStage with { Steps = parse.GetValue(steps), ValidationInterval = parse.GetValue(validateEvery) },
                FinetuneStage = TrainingRecipes.Finetune with { Steps = parse.GetValue(finetuneSteps), LearningRate = 3e-4 },
                Trainer = Defaults.Trainer with
                {
                    Dimension = parse.GetValue(dimension),
                    BatchSize = parse.GetValue(batchSize),
                    RandomNegatives = parse.GetValue(negatives),
                    Seed = parse.GetValue(seed),
                    Threads = parse.GetValue(threads),
                },
            };
            if (options.TuneQueryTopLayer && (options.Backbone is null || options.BackboneTowers.ItemEmbeddings))
            {
                throw new UserInputException("--tune-top-layer needs --backbone (an encoder whose top layer to tune) and takes no --item-embeddings");
            }

            TextHierarchyBenchmarkResult result;
            bool interactive = output.Interactive && !output.Json;
            using (var display = new TrainingDisplay(output.Error, interactive, Microsoft.Extensions.Logging.LogLevel.Information))
            using (var encoding = new TerminalProgress(output.Error, $"encoding texts with {parse.GetValue(backbone)}", interactive))
            {
                result = TextHierarchyBenchmark.Run(new MLContext(parse.GetValue(seed)), loaded, options, display, encoding, cancellationToken);
            }

            string model = options.Backbone is null ? "text" : $"{parse.GetValue(backbone)} + heads";
            string zeroShotName = $"{parse.GetValue(backbone)}, zero-shot (untrained)";
            var rows = new List<(string Name, HierarchyRetrievalMetrics Metrics)> { ($"{model}, {parse.GetValue(recipe)}", result.Text) };
            if (result.TextFirstStage is { } first)
            {
                rows.Add(($"{model}, after pretraining (standard)", first));
            }

            rows.Add(("lookup tables, standard", result.LookupTable));
            if (result.NeighbourLookupTable is { } borrowed)
            {
                rows.Add(("lookup tables, nearest seen node's rows", borrowed));
            }

            if (result.ZeroShot is { } zeroShot)
            {
                rows.Add((zeroShotName, zeroShot));
            }

            var evidenceRows = result.ByEvidence.ToDictionary(
                kv => JsonNamingPolicy.CamelCase.ConvertName(kv.Key.ToString()),
                kv => new List<(string Name, HierarchyRetrievalMetrics Metrics)> { (model, kv.Value.Text), ("lookup tables", kv.Value.LookupTable) }
                    .Concat(kv.Value.ZeroShot is { } z ? [(zeroShotName, z)] : []).ToList());
            static object Json(IEnumerable<(string Name, HierarchyRetrievalMetrics Metrics)> models) =>
                models.Select(r => new { model = r.Name, pairs = r.Metrics.Pairs, overall = r.Metrics.Overall, min = r.Metrics.Min, minDistance = r.Metrics.MinDistance, byDistance = r.Metrics.RecallByDistance }).ToArray();
            if (output.Json)
            {
                output.WriteJson(new { heldOut = held.ToString().ToLowerInvariant(), testQueries = result.TestQueries, models = Json(rows), byEvidence = evidenceRows.ToDictionary(kv => kv.Key, kv => Json(kv.Value)) });
                return 0;
            }

            string what = held == HeldOutUnit.Nodes ? $"{result.TestQueries:N0} held-out nodes" : $"held-out pairs of {result.TestQueries:N0} queries";
            output.Out.WriteLine($"{parse.GetValue(hierarchy)}: {what}, {result.Text.Pairs:N0} (node, ancestor) pairs; recall@|S(q)| by distance (8 = 8+)");
            WriteTable(output.Out, rows);
            foreach (var (evidence, models) in evidenceRows)
            {
                output.Out.WriteLine();
                output.Out.WriteLine($"test pairs with evidence '{evidence}' ({models[0].Metrics.Pairs:N0} pairs)");
                WriteTable(output.Out, models);
            }

            return 0;
        })));
        return command;
    }

    /// <summary>One row per model: recall by distance, min and overall, in percent.</summary>
    private static void WriteTable(TextWriter writer, IReadOnlyList<(string Name, HierarchyRetrievalMetrics Metrics)> rows)
    {
        var distances = rows[0].Metrics.RecallByDistance.Keys.Order().ToArray();
        writer.WriteLine($"{"model",-36}" + string.Concat(distances.Select(d => $"{"D" + d,7}")) + $"{"min",8}{"overall",9}");
        foreach (var (name, metrics) in rows)
        {
            writer.WriteLine($"{name,-36}" + string.Concat(distances.Select(d => string.Create(CultureInfo.InvariantCulture, $"{metrics.RecallByDistance.GetValueOrDefault(d) * 100,7:F1}")))
                + string.Create(CultureInfo.InvariantCulture, $"{metrics.Min * 100,8:F1}{metrics.Overall * 100,9:F1}"));
        }
    }
}
