using System.CommandLine;
using System.Globalization;
using HierRetrieval.Cli.Terminal;
using HierRetrieval.Data.Esci;
using HierRetrieval.Evaluation.Shopping;
using HierRetrieval.Runs.Outputs;
using HierRetrieval.Runs.Shopping;
using HierRetrieval.Runtime.Scoring;
using HierRetrieval.Runtime.Shopping;
using HierRetrieval.Runtime.Zips.Tokenization;
using HierRetrieval.Training.Recipes;
using HierRetrieval.Training.Towers;
using Microsoft.ML;

namespace HierRetrieval.Cli.Commands;

/// <summary><c>hierret esci</c>: shopping data in the Shopping Queries Dataset's schema (generate, train and evaluate text towers).</summary>
internal static class EsciCommand
{
    private static readonly IReadOnlyDictionary<string, EsciRecipe> Recipes = new Dictionary<string, EsciRecipe>
    {
        ["exact-then-substitute"] = EsciRecipe.ExactThenSubstitute,
        ["exact-only"] = EsciRecipe.ExactOnly,
        ["mix"] = EsciRecipe.Mix,
    };

    private static readonly EsciTrainingOptions Defaults = new();

    public static Command Create()
    {
        var command = new Command("esci", "Shopping data in the Shopping Queries Dataset's schema: generate synthetic files, train and evaluate text towers.");
        command.Add(Generate());
        command.Add(Train());
        command.Add(Evaluate());
        return command;
    }

    private static Command Generate()
    {
        var outFolder = new Option<string>("--out") { Description = "Folder for shopping_queries_dataset_examples and _products.", Required = true, HelpName = "dir" };
        var format = new Option<string>("--format") { Description = "File format.", DefaultValueFactory = _ => "parquet" };
        format.AcceptOnlyFromAmong("parquet", "csv", "tsv");
        var families = CommonOptions.AtLeast("--families", 2, "Product families.", new EsciGeneratorOptions().Families);
        var productsPerType = CommonOptions.AtLeast("--products-per-type", 1, "Products per type (4 types per family).", new EsciGeneratorOptions().ProductsPerType);
        var seed = CommonOptions.Seed("the generator");
        var command = new Command("generate", "Write synthetic examples and products files in the release's exact schema (made-up words, not shopping text).") { outFolder, format, families, productsPerType, seed };
        command.SetAction((parse, cancellationToken) => Task.FromResult(CommandOutput.Run(parse, null, output =>
        {
            var (examples, products) = EsciGenerator.Generate(new EsciGeneratorOptions { Families = parse.GetValue(families), ProductsPerType = parse.GetValue(productsPerType), Seed = parse.GetValue(seed) });
            string folder = parse.GetValue(outFolder)!, extension = parse.GetValue(format)!;
            string examplesPath = Path.Combine(folder, $"shopping_queries_dataset_examples.{extension}"), productsPath = Path.Combine(folder, $"shopping_queries_dataset_products.{extension}");
            EsciWriter.WriteExamplesAsync(examplesPath, examples, cancellationToken).GetAwaiter().GetResult();
            EsciWriter.WriteProductsAsync(productsPath, products, cancellationToken).GetAwaiter().GetResult();
            output.Out.WriteLine($"wrote {examples.Count:N0} judgements of {examples.Select(e => e.QueryId).Distinct().Count():N0} queries to {examplesPath} and {products.Count:N0} products to {productsPath}");
            return 0;
        })));
        return command;
    }

    private static Command Evaluate()
    {
        var model = new Option<string>("--model") { Description = "A text model zip (model.zip from esci train).", Required = true, HelpName = "zip" };
        var examples = new Option<string>("--examples") { Description = "The examples table (.parquet, .csv or .tsv).", Required = true, HelpName = "file" };
        var products = new Option<string>("--products") { Description = "The products table: every product is embedded and retrieved from.", Required = true, HelpName = "file" };
        var split = new Option<string>("--split") { Description = "The split whose queries are evaluated.", DefaultValueFactory = _ => "test" };
        split.AcceptOnlyFromAmong("train", "test");
        var locale = new Option<string?>("--locale") { Description = "Keep one locale (us, es, jp).", HelpName = "locale" };
        var small = new Option<bool>("--small") { Description = "Keep the small version's judgements (default: the large version)." };
        var k = CommonOptions.AtLeast("--k", 1, "Products retrieved per query.", 10);
        var threads = CommonOptions.Threads();
        var json = CommonOptions.Json();
        var command = new Command("evaluate", "Evaluate a saved text model on a split's judgements: recall@k for Exact and for Substitute, NDCG@k with ESCI gains.")
        {
            model, examples, products, split, locale, small, k, threads, json,
        };
        command.SetAction((parse, cancellationToken) => Task.FromResult(CommandOutput.Run(parse, json, output =>
        {
            using var scorer = TextModelScorers.Open(parse.GetValue(model)!);
            var load = new EsciLoadOptions
            {
                Locale = parse.GetValue(locale), SmallVersion = parse.GetValue(small), Split = parse.GetValue(split),
                ProductText = EsciModel.RecordedProductFields(scorer.Model) ?? new EsciLoadOptions().ProductText,
            };
            var data = EsciDataset.LoadAsync(parse.GetValue(examples)!, parse.GetValue(products)!, load, cancellationToken).GetAwaiter().GetResult();
            var metrics = EsciModel.EvaluateSaved(scorer, data, parse.GetValue(k), Retrieval.Exact.ExactIndexFactory.WithThreads(parse.GetValue(threads)));
            return Report(output, $"{parse.GetValue(model)} on the {parse.GetValue(split)} split", metrics, data.Report);
        })));
        return command;
    }

    /// <summary>The fields of a comma-separated list, or null when one is unknown.</summary>
    private static ProductField[]? ParseFields(string text)
    {
        var fields = new List<ProductField>();
        foreach (string name in text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            if (!Enum.TryParse<ProductField>(name.Replace("_", "", StringComparison.Ordinal), ignoreCase: true, out var field))
            {
                return null;
            }

            fields.Add(field);
        }

        return fields.Count == 0 ? null : [.. fields];
    }

    /// <summary>Prints metrics by label (JSON with --json) and the rows read and dropped.</summary>
    private static int Report(CommandOutput output, string title, EsciMetrics metrics, EsciReadReport report) => Report(output, [(title, metrics)], report);

    /// <summary>Prints each model's metrics by label (JSON with --json: the first model, and the others under <c>also</c>) and the rows read and dropped.</summary>
    private static int Report(CommandOutput output, IReadOnlyList<(string Title, EsciMetrics Metrics)> models, EsciReadReport report)
    {
        if (output.Json)
        {
            var (title, metrics) = models[0];
            output.WriteJson(new { model = title, metrics, rows = report.Counts, also = models.Skip(1).Select(m => new { model = m.Title, metrics = m.Metrics }) });
            return 0;
        }

        foreach (string problem in report.FirstProblems)
        {
            output.Error.WriteLine($"skipped {problem}");
        }

        foreach (var (title, metrics) in models)
        {
            output.Out.WriteLine($"{title}: {metrics.Queries:N0} queries");
            output.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"recall@{metrics.K}: Exact {metrics.ExactRecall:P1} ({metrics.ExactPairs:N0} judgements), Substitute {metrics.SubstituteRecall:P1} ({metrics.SubstitutePairs:N0}); NDCG@{metrics.K} (E 1, S 0.1, C 0.01) {metrics.Ndcg:F4}"));
        }

        output.Out.WriteLine($"rows: {string.Join(", ", report.Counts.Select(c => $"{c.Key} {c.Value:N0}"))}");
        return 0;
    }

    private static Command Train()
    {
        var examples = new Option<string>("--examples") { Description = "The examples table (.parquet, .csv or .tsv).", Required = true, HelpName = "file" };
        var products = new Option<string>("--products") { Description = "The products table (.parquet, .csv or .tsv).", Required = true, HelpName = "file" };
        var recipe = new Option<string>("--recipe") { Description = "Exact then Substitute (two stages), Exact only, or both mixed in one stage.", DefaultValueFactory = _ => "exact-then-substitute" };
        recipe.AcceptOnlyFromAmong([.. Recipes.Keys]);
        var locale = new Option<string?>("--locale") { Description = "Keep one locale (us, es, jp).", HelpName = "locale" };
        var small = new Option<bool>("--small") { Description = "Keep the small version's judgements (default: the large version)." };
        var dimension = CommonOptions.AtLeast("--dim", 1, "Embedding dimension.", 64);
        var hidden = CommonOptions.AtLeast("--hidden", 1, "Width of the feature embeddings and hidden layer (text towers from scratch).", new TextTowerOptions().HiddenSize);
        var backbone = CommonOptions.Backbone();
        var headHidden = CommonOptions.HeadHidden();
        var embeddingCache = CommonOptions.EmbeddingCache();
        var steps = CommonOptions.AtLeast("--steps", 1, "Steps of the first stage.", 2000);
        var finetuneSteps = CommonOptions.AtLeast("--finetune-steps", 1, "Steps of the Substitute stage.", 500);
        var finetuneLearningRate = CommonOptions.Positive("--finetune-lr", "Learning rate of the Substitute stage.", 3e-4);
        var finetuneTemperature = CommonOptions.Positive("--finetune-temperature", "Temperature of the Substitute stage (logits = T x cosine).", 100);
        var exactReplay = CommonOptions.Require(
            new Option<double>("--exact-replay") { Description = "Fraction of each Substitute-stage batch replayed from all training judgements, Exact ones included (exact-then-substitute; 0: Substitute pairs only).", DefaultValueFactory = _ => 0 },
            v => v is >= 0 and < 1,
            v => $"--exact-replay must be at least 0 and below 1, got {v}");
        var shared = new Option<bool>("--shared-towers") { Description = "One tower for queries and products (shared weights)." };
        var k = CommonOptions.AtLeast("--k", 1, "Products retrieved per test query.", 10);
        var seed = CommonOptions.Seed("initial values and batches");
        var threads = CommonOptions.Threads();
        var json = CommonOptions.Json();
        var fields = new Option<string>("--product-fields") { Description = "Product fields that make a product's text, in order (recorded in the model for evaluate and score).", DefaultValueFactory = _ => string.Join(',', new EsciLoadOptions().ProductText) };
        CommonOptions.Require(fields, v => ParseFields(v) is not null, v => $"--product-fields: expected a comma-separated list of {string.Join(", ", Enum.GetNames<ProductField>())}, got '{v}'");
        var outFolder = new Option<string?>("--out") { Description = "Folder for model.zip: the trained text model (ML.NET zip; `hierret score --examples ... --products ...` reads it).", HelpName = "dir" };
        var command = new Command("train", "Train text towers (from scratch, or heads over a pretrained sentence encoder) on the train split's Exact and Substitute judgements and report recall@k by label and NDCG on the test split (with a backbone, its zero-shot figures too).")
        {
            examples, products, recipe, locale, small, fields, dimension, hidden, backbone, headHidden, embeddingCache, steps, finetuneSteps, finetuneLearningRate, finetuneTemperature, exactReplay, shared, k, seed, threads, outFolder, json,
        };
        command.SetAction((parse, cancellationToken) => Task.FromResult(CommandOutput.Run(parse, json, output =>
        {
            // Checked before the tables are read: a wrong combination fails at once.
            if (parse.GetValue(exactReplay) > 0 && Recipes[parse.GetValue(recipe)!] != EsciRecipe.ExactThenSubstitute)
            {
                throw new UserInputException($"--exact-replay: only exact-then-substitute has a Substitute stage to replay Exact pairs in (--recipe is {parse.GetValue(recipe)})");
            }

            var productFields = ParseFields(parse.GetValue(fields)!)!;
            var load = new EsciLoadOptions { Locale = parse.GetValue(locale), SmallVersion = parse.GetValue(small), ProductText = productFields };
            var examplesTable = EsciFiles.ReadExamplesAsync(parse.GetValue(examples)!, cancellationToken).GetAwaiter().GetResult();
            var productsTable = EsciFiles.ReadProductsAsync(parse.GetValue(products)!, cancellationToken).GetAwaiter().GetResult();
            var train = EsciDataset.Join(examplesTable, productsTable, load with { Split = "train" });
            var test = EsciDataset.Join(examplesTable, productsTable, load with { Split = "test" });

            var options = new EsciTrainingOptions
            {
                Recipe = Recipes[parse.GetValue(recipe)!],
                ExactReplay = parse.GetValue(exactReplay),
                Towers = new TextTowerOptions { HiddenSize = parse.GetValue(hidden) },
                Backbone = CommonOptions.ResolveBackbone(parse.GetValue(backbone)!),
                Heads = new BackboneTowerOptions { HiddenSize = parse.GetValue(headHidden) },
                EmbeddingCache = CommonOptions.ResolveEmbeddingCache(parse.GetValue(embeddingCache)!),
                SharedTowers = parse.GetValue(shared),
                Trainer = Defaults.Trainer with { Dimension = parse.GetValue(dimension), Seed = parse.GetValue(seed), Threads = parse.GetValue(threads) },
                FirstStage = Defaults.FirstStage with { Steps = parse.GetValue(steps) },
                SubstituteStage = Defaults.SubstituteStage with
                {
                    Steps = parse.GetValue(finetuneSteps),
                    LearningRate = parse.GetValue(finetuneLearningRate)!.Value,
                    Temperature = parse.GetValue(finetuneTemperature)!.Value,
                    EarlyStopping = new EarlyStoppingCriterion { Metric = EarlyStoppingMetric.Min },
                },
            };
            if (options.Backbone is { } zipped && parse.GetValue(outFolder) is not null)
            {
                try
                {
                    _ = WordPieceTokenMappings.ContractFor(zipped);
                }
                catch (NotSupportedException e)
                {
                    throw new UserInputException($"--out: {e.Message}; train without --out, or with an encoder whose zip the runtime can load");
                }
            }

            EsciModel model;
            bool interactive = output.Interactive && !output.Json;
            using (var display = new TrainingDisplay(output.Error, interactive, Microsoft.Extensions.Logging.LogLevel.Information))
            using (var encoding = new TerminalProgress(output.Error, $"encoding texts with {parse.GetValue(backbone)}", interactive))
            {
                model = EsciTrainer.Train(new MLContext(parse.GetValue(seed)), train, productFields, options, display, encoding, cancellationToken);
            }

            var indexes = Retrieval.Exact.ExactIndexFactory.WithThreads(parse.GetValue(threads));
            var metrics = model.Evaluate(test, parse.GetValue(k), indexes);
            if (parse.GetValue(outFolder) is { } folder)
            {
                model.Save(new MLContext(parse.GetValue(seed)), Path.Combine(folder, RunFolder.ModelZip), parse.GetValue(k));
            }

            string title = $"{parse.GetValue(recipe)}{(options.Backbone is null ? "" : $" ({parse.GetValue(backbone)} + heads)")}, {train.Judgements.Count:N0} training judgements, {train.ProductTexts.Count:N0} products, test split";
            if (options.Backbone is not { } encoder)
            {
                return Report(output, title, metrics, train.Report);
            }

            var zeroShot = EsciTrainer.ZeroShot(encoder, train, test, parse.GetValue(k), options, indexes, cancellationToken);
            return Report(output, [(title, metrics), ($"{parse.GetValue(backbone)}, zero-shot (untrained), test split", zeroShot)], train.Report);
        })));
        return command;
    }
}
