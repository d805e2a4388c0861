using System.CommandLine;
using System.Diagnostics;
using HierRetrieval.Cli.Terminal;
using HierRetrieval.Data.Datasets;
using HierRetrieval.Data.Hierarchies;
using HierRetrieval.Retrieval;
using HierRetrieval.Retrieval.Exact;

namespace HierRetrieval.Cli.Commands;

/// <summary><c>hierret bench</c>: throughput benchmarks of the closure and the exact index, printed as figures.</summary>
internal static class BenchCommand
{
    public static Command Create()
    {
        var command = new Command("bench", "Benchmarks: transitive closure time, exact-index and scoring throughput, training throughput and memory.");
        command.Add(Closure());
        command.Add(Index());
        command.Add(Train());
        command.Add(ScoreBenchCommand.Create());
        return command;
    }

    private static Command Train()
    {
        var hierarchy = CommonOptions.Hierarchy(HierarchyCatalog.WordNetNounsName);
        var dimension = CommonOptions.AtLeast("--dim", 1, "Embedding dimension.", defaultValue: 64);
        var steps = CommonOptions.AtLeast("--steps", 1, "Timed training steps.", defaultValue: 500);
        var batchSize = CommonOptions.AtLeast("--batch-size", 2, "Matched pairs per batch.", defaultValue: TrainCommand.Defaults.BatchSize);
        var negatives = CommonOptions.AtLeast("--negatives", 0, "Random negatives per batch.", defaultValue: TrainCommand.Defaults.RandomNegatives);
        var threads = CommonOptions.Threads();
        var json = CommonOptions.Json();
        var command = new Command("train", "Measure training throughput (pairs/s) and the process's peak resident memory on a standard-recipe run without validation.")
        {
            hierarchy, dimension, steps, batchSize, negatives, threads, json,
        };
        command.SetAction(parse => CommandOutput.Run(parse, json, output =>
        {
            var loaded = HierarchyCatalog.Load(parse.GetValue(hierarchy)!);
            var split = Data.Pairs.PairSplitter.Split(loaded.Closure, new Data.Pairs.PairSplitOptions());
            var options = new Training.DualEncoderTrainerOptions
            {
                Dimension = parse.GetValue(dimension),
                Recipe = Training.Recipes.TrainingRecipe.Standard,
                Steps = parse.GetValue(steps),
                BatchSize = parse.GetValue(batchSize),
                RandomNegatives = parse.GetValue(negatives),
                Threads = parse.GetValue(threads),
                ValidationInterval = int.MaxValue,
                ValidationQueries = 1,
            };
            var trained = new Training.DualEncoderTrainer(options).Train(loaded.Closure, split);
            using var process = Process.GetCurrentProcess();
            var result = new
            {
                hierarchy = parse.GetValue(hierarchy),
                dimension = options.Dimension,
                steps = trained.StepsRun,
                batchSize = options.BatchSize,
                negatives = options.RandomNegatives,
                threads = options.Threads,
                seconds = trained.TrainingTime.TotalSeconds,
                stepsPerSecond = trained.StepsRun / trained.TrainingTime.TotalSeconds,
                pairsPerSecond = trained.PairsPerSecond,
                peakResidentMegabytes = process.PeakWorkingSet64 / (1024.0 * 1024.0),
            };
            if (output.Json)
            {
                output.WriteJson(result);
            }
            else
            {
                output.Out.WriteLine($"training {result.hierarchy}, d={result.dimension}, batch {result.batchSize} + {result.negatives} negatives, {result.threads} threads: " +
                    $"{result.steps:N0} steps in {result.seconds:F1} s = {result.stepsPerSecond:F1} steps/s, {result.pairsPerSecond:N0} pairs/s; peak RSS {result.peakResidentMegabytes:N0} MB");
            }

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
            var loaded = HierarchyCatalog.Load(parse.GetValue(hierarchy)!);
            TransitiveClosure.Compute(loaded);
            var seconds = new List<double>();
            long pairs = 0;
            for (int i = 0; i < parse.GetValue(repeats); i++)
            {
                var clock = Stopwatch.StartNew();
                pairs = TransitiveClosure.Compute(loaded).PairCount;
                seconds.Add(clock.Elapsed.TotalSeconds);
            }

            seconds.Sort();
            var result = new { hierarchy = parse.GetValue(hierarchy), nodes = loaded.Count, closurePairs = pairs, bestSeconds = seconds[0], medianSeconds = seconds[seconds.Count / 2], repeats = seconds.Count };
            if (output.Json)
            {
                output.WriteJson(result);
            }
            else
            {
                output.Out.WriteLine($"closure of {result.hierarchy}: {result.nodes:N0} nodes, {pairs:N0} pairs; best {result.bestSeconds * 1000:F0} ms, median {result.medianSeconds * 1000:F0} ms over {result.repeats} runs");
            }

            return 0;
        }));
        return command;
    }

    private static Command Index()
    {
        var documents = CommonOptions.AtLeast("--documents", 1, "Documents in the index (random unit vectors).", defaultValue: 82_115);
        var dimension = CommonOptions.AtLeast("--dim", 1, "Vector dimension.", defaultValue: 64);
        var queries = CommonOptions.AtLeast("--queries", 1, "Queries per Search call (one batch).", defaultValue: 8192);
        var k = CommonOptions.AtLeast("--k", 1, "Results per query.", defaultValue: 10);
        var repeats = CommonOptions.AtLeast("--repeats", 1, "Timed repetitions (the best is reported).", defaultValue: 3);
        var threads = CommonOptions.Threads();
        var seed = CommonOptions.Seed("the random vectors");
        var json = CommonOptions.Json();
        var command = new Command("index", "Measure batched exact top-k throughput (queries/s, GFLOP/s) beside the machine's peak multiply-add rate.")
        {
            documents, dimension, queries, k, repeats, threads, seed, json,
        };
        command.SetAction(parse => CommandOutput.Run(parse, json, output =>
        {
            int n = parse.GetValue(documents), d = parse.GetValue(dimension), q = parse.GetValue(queries), t = parse.GetValue(threads);
            var random = new Random(parse.GetValue(seed));
            using var index = new ExactIndex(d, new ExactIndexOptions { Threads = t });
            index.Add(RandomUnitRows(n, d, random));
            var batch = RandomUnitRows(q, d, random);
            double best = BestSeconds(parse.GetValue(repeats), () => index.Search(batch, parse.GetValue(k)));

            double gflops = 2.0 * q * n * d / best / 1e9;
            double peak = MultiplyAddPeak.EstimateGigaflops(t, TimeSpan.FromSeconds(1));
            var result = new
            {
                documents = n, dimension = d, queries = q, k = parse.GetValue(k), threads = t,
                seconds = best, queriesPerSecond = q / best, gflops, peakGflops = peak, fractionOfPeak = gflops / peak,
            };
            if (output.Json)
            {
                output.WriteJson(result);
            }
            else
            {
                output.Out.WriteLine($"exact top-{result.k}: {n:N0} x {d} documents, {q:N0} queries per call, {t} threads");
                output.Out.WriteLine($"{result.queriesPerSecond:N0} queries/s ({best * 1000:F0} ms per batch), {gflops:F1} GFLOP/s");
                output.Out.WriteLine($"peak multiply-add estimate {peak:F1} GFLOP/s on {t} threads: {result.fractionOfPeak:P0} of peak");
            }

            return 0;
        }));
        return command;
    }

    /// <summary>Runs <paramref name="run"/> once to warm up, then <paramref name="repeats"/> times, and returns the fastest time in seconds.</summary>
    internal static double BestSeconds(int repeats, Action run)
    {
        run();
        double best = double.MaxValue;
        for (int i = 0; i < repeats; i++)
        {
            var clock = Stopwatch.StartNew();
            run();
            best = Math.Min(best, clock.Elapsed.TotalSeconds);
        }

        return best;
    }

    private static float[] RandomUnitRows(int rows, int dimension, Random random)
    {
        var matrix = new EmbeddingMatrix(rows, dimension);
        for (int i = 0; i < matrix.Values.Length; i++)
        {
            matrix.Values[i] = (float)((random.NextDouble() * 2) - 1);
        }

        return matrix.NormalizeRows().Values.ToArray();
    }
}
