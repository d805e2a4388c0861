using System.CommandLine;
using HierRetrieval.Cli.Terminal;
using HierRetrieval.Data.Datasets;
using HierRetrieval.Studies.Benchmarks;
using HierRetrieval.Training;

namespace HierRetrieval.Cli.Commands;

/// <summary><c>hierret bench</c>: parses the options of the throughput benchmarks (HierRetrieval.Studies) and prints their figures.</summary>
internal static class BenchCommand
{
    public static Command Create()
    {
        var command = new Command("bench", "Benchmarks: transitive closure time, exact-index, evaluation and scoring throughput, training throughput and memory, sentence-encoder throughput.");
        command.Add(Closure());
        command.Add(Index());
        command.Add(Evaluate());
        command.Add(Train());
        command.Add(ScoreBenchCommand.Create());
        command.Add(BackboneBenchCommand.Create());
        return command;
    }

    private static Command Train()
    {
        var defaults = new DualEncoderTrainerOptions();
        var hierarchy = CommonOptions.Hierarchy(HierarchyCatalog.WordNetNounsName);
        var dimension = CommonOptions.AtLeast("--dim", 1, "Embedding dimension.", defaultValue: defaults.Dimension);
        var steps = CommonOptions.AtLeast("--steps", 1, "Timed training steps.", defaultValue: 500);
        var batchSize = CommonOptions.AtLeast("--batch-size", 2, "Matched pairs per batch.", defaultValue: defaults.BatchSize);
        var negatives = CommonOptions.AtLeast("--negatives", 0, "Random negatives per batch.", defaultValue: defaults.RandomNegatives);
        var threads = CommonOptions.Threads();
        var json = CommonOptions.Json();
        var command = new Command("train", "Measure training throughput (pairs/s) and the process's peak resident memory on a standard-recipe run without validation.")
        {
            hierarchy, dimension, steps, batchSize, negatives, threads, json,
        };
        command.SetAction(parse => CommandOutput.Run(parse, json, output =>
        {
            var trainer = defaults with
            {
                Dimension = parse.GetValue(dimension),
                BatchSize = parse.GetValue(batchSize),
                RandomNegatives = parse.GetValue(negatives),
                Threads = parse.GetValue(threads),
            };
            var result = TrainingBenchmark.Run(HierarchyCatalog.Load(parse.GetValue(hierarchy)!), trainer, parse.GetValue(steps));
            if (output.Json)
            {
                output.WriteJson(new
                {
                    hierarchy = parse.GetValue(hierarchy), dimension = trainer.Dimension, steps = result.Steps, batchSize = trainer.BatchSize, negatives = trainer.RandomNegatives, threads = trainer.Threads,
                    seconds = result.Seconds, stepsPerSecond = result.StepsPerSecond, pairsPerSecond = result.PairsPerSecond, peakResidentMegabytes = result.PeakResidentMegabytes,
                });
                return 0;
            }

            output.Out.WriteLine($"training {parse.GetValue(hierarchy)}, d={trainer.Dimension}, batch {trainer.BatchSize} + {trainer.RandomNegatives} negatives, {trainer.Threads} threads: " +
                $"{result.Steps:N0} steps in {result.Seconds:F1} s = {result.StepsPerSecond:F1} steps/s, {result.PairsPerSecond:N0} pairs/s; peak RSS {result.PeakResidentMegabytes:N0} MB");
            return 0;
        }));
        return command;
    }

    private static Command Closure()
    {
        var hierarchy = CommonOptions.Hierarchy(HierarchyCatalog.WordNetNounsName);
        var repeats = CommonOptions.AtLeast("--repeats", 1, "Timed repetitions (the best and the median are reported).", defaultValue: 5);
        var json = CommonOptions.Json();
        var command = new Command("closure", "Time the transitive closure (shortest distance of every child-ancestor pair).") { hierarchy, repeats, json };
        command.SetAction(parse => CommandOutput.Run(parse, json, output =>
        {
            string name = parse.GetValue(hierarchy)!;
            var result = ClosureBenchmark.Run(HierarchyCatalog.Load(name), parse.GetValue(repeats));
            if (output.Json)
            {
                output.WriteJson(new { hierarchy = name, nodes = result.Nodes, closurePairs = result.ClosurePairs, bestSeconds = result.BestSeconds, medianSeconds = result.MedianSeconds, repeats = result.Repeats });
                return 0;
            }

            output.Out.WriteLine($"closure of {name}: {result.Nodes:N0} nodes, {result.ClosurePairs:N0} pairs; best {result.BestSeconds * 1000:F0} ms, median {result.MedianSeconds * 1000:F0} ms over {result.Repeats} runs");
            return 0;
        }));
        return command;
    }

    private static Command Evaluate()
    {
        var defaults = new EvaluationBenchmarkOptions();
        var hierarchy = CommonOptions.Hierarchy(HierarchyCatalog.WordNetNounsName);
        var dimension = CommonOptions.AtLeast("--dim", 1, "Embedding dimension.", defaultValue: defaults.Dimension);
        var queries = CommonOptions.AtLeast("--queries", 1, "Queries evaluated, sampled with all their pairs.", defaultValue: defaults.Queries);
        var repeats = CommonOptions.AtLeast("--repeats", 1, "Timed repetitions (the best is reported).", defaultValue: defaults.Repeats);
        var threads = CommonOptions.Threads();
        var seed = CommonOptions.Seed("the query sample and the random embeddings");
        var json = CommonOptions.Json();
        var command = new Command("evaluate", "Measure the speed of a full evaluation and the managed memory it allocates, on random embeddings (a weak model's worst case).")
        {
            hierarchy, dimension, queries, repeats, threads, seed, json,
        };
        command.SetAction(parse => CommandOutput.Run(parse, json, output =>
        {
            string name = parse.GetValue(hierarchy)!;
            var options = new EvaluationBenchmarkOptions
            {
                Dimension = parse.GetValue(dimension), Queries = parse.GetValue(queries), Repeats = parse.GetValue(repeats), Threads = parse.GetValue(threads), Seed = parse.GetValue(seed),
            };
            var result = EvaluationBenchmark.Run(HierarchyCatalog.Load(name), options);
            if (output.Json)
            {
                output.WriteJson(new
                {
                    hierarchy = name, dimension = options.Dimension, queries = result.Queries, pairs = result.Pairs, threads = options.Threads,
                    seconds = result.Seconds, queriesPerSecond = result.QueriesPerSecond, allocatedMegabytes = result.AllocatedMegabytes,
                });
                return 0;
            }

            output.Out.WriteLine($"evaluation of {name}, d={options.Dimension}, random embeddings: {result.Queries:N0} queries, {result.Pairs:N0} pairs, {options.Threads} threads");
            output.Out.WriteLine($"{result.QueriesPerSecond:N0} queries/s ({result.Seconds:F2} s per evaluation); {result.AllocatedMegabytes:N0} MB allocated per evaluation");
            return 0;
        }));
        return command;
    }

    private static Command Index()
    {
        var defaults = new IndexBenchmarkOptions();
        var documents = CommonOptions.AtLeast("--documents", 1, "Documents in the index (random unit vectors).", defaultValue: defaults.Documents);
        var dimension = CommonOptions.AtLeast("--dim", 1, "Vector dimension.", defaultValue: defaults.Dimension);
        var queries = CommonOptions.AtLeast("--queries", 1, "Queries per Search call (one batch).", defaultValue: defaults.Queries);
        var k = CommonOptions.AtLeast("--k", 1, "Results per query.", defaultValue: defaults.K);
        var repeats = CommonOptions.AtLeast("--repeats", 1, "Timed repetitions (the best is reported).", defaultValue: defaults.Repeats);
        var threads = CommonOptions.Threads();
        var seed = CommonOptions.Seed("the random vectors");
        var json = CommonOptions.Json();
        var command = new Command("index", "Measure batched exact top-k throughput (queries/s, GFLOP/s) beside the machine's peak multiply-add rate.")
        {
            documents, dimension, queries, k, repeats, threads, seed, json,
        };
        command.SetAction(parse => CommandOutput.Run(parse, json, output =>
        {
            var options = new IndexBenchmarkOptions
            {
                Documents = parse.GetValue(documents), Dimension = parse.GetValue(dimension), Queries = parse.GetValue(queries), K = parse.GetValue(k),
                Repeats = parse.GetValue(repeats), Threads = parse.GetValue(threads), Seed = parse.GetValue(seed),
            };
            var result = IndexBenchmark.Run(options);
            if (output.Json)
            {
                output.WriteJson(new
                {
                    documents = options.Documents, dimension = options.Dimension, queries = options.Queries, k = options.K, threads = options.Threads,
                    seconds = result.Seconds, queriesPerSecond = result.QueriesPerSecond, gflops = result.Gflops, peakGflops = result.PeakGflops, fractionOfPeak = result.FractionOfPeak,
                });
                return 0;
            }

            output.Out.WriteLine($"exact top-{options.K}: {options.Documents:N0} x {options.Dimension} documents, {options.Queries:N0} queries per call, {options.Threads} threads");
            output.Out.WriteLine($"{result.QueriesPerSecond:N0} queries/s ({result.Seconds * 1000:F0} ms per batch), {result.Gflops:F1} GFLOP/s");
            output.Out.WriteLine($"peak multiply-add estimate {result.PeakGflops:F1} GFLOP/s on {options.Threads} threads: {result.FractionOfPeak:P0} of peak");
            return 0;
        }));
        return command;
    }
}
