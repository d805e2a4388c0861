using HierRetrieval.Data.Hierarchies;
using HierRetrieval.Data.Pairs;
using static TorchSharp.torch;

namespace HierRetrieval.Training.Batching;

/// <summary>
/// Builds each step's batch: the sampled pairs' queries and documents, then the shared negatives (random documents,
/// then neighbour negatives for queries 0, 1, ... of the batch in turn), and the false-negative mask. Batch n of a
/// stage depends only on the seed, the stage and n, so a resumed run sees the same batches.
/// </summary>
internal sealed class BatchBuilder
{
    private readonly DualEncoderTrainerOptions _options;
    private readonly int _itemCount;
    private readonly FalseNegativeMask _mask;
    private readonly NeighbourNegativeSampler? _neighbours;
    private readonly MatchedPair[] _pairs;
    private readonly bool[] _maskValues;

    /// <param name="options">Batch size, negatives and seed.</param>
    /// <param name="knownMatches">The matches training may know about: the mask's and the neighbour negatives' source.</param>
    public BatchBuilder(DualEncoderTrainerOptions options, TransitiveClosure knownMatches)
    {
        _options = options;
        _itemCount = knownMatches.NodeCount;
        _mask = new FalseNegativeMask(new ClosureMatchSets(knownMatches), knownMatches.NodeCount);
        _neighbours = options.NeighbourNegatives > 0 ? new NeighbourNegativeSampler(knownMatches) : null;
        _pairs = new MatchedPair[options.BatchSize];
        Queries = new int[options.BatchSize];
        Candidates = new int[options.BatchSize + options.RandomNegatives + options.NeighbourNegatives];
        _maskValues = new bool[Queries.Length * Candidates.Length];
    }

    /// <summary>The batch's query items.</summary>
    public int[] Queries { get; }

    /// <summary>The batch's candidate documents: the positives (candidate i is query i's), then the shared negatives.</summary>
    public int[] Candidates { get; }

    /// <summary>Fills <see cref="Queries"/> and <see cref="Candidates"/> with batch <paramref name="step"/> of stage <paramref name="stageIndex"/>.</summary>
    public void Fill(PairSampler sampler, int stageIndex, int step)
    {
        int batch = _options.BatchSize;
        sampler.Fill(step, _pairs);
        for (int i = 0; i < batch; i++)
        {
            Queries[i] = _pairs[i].Query;
            Candidates[i] = _pairs[i].Document;
        }

        var random = StepRandom.For(_options.Seed, 1000 + stageIndex, step);
        var negatives = Candidates.AsSpan(batch);
        for (int i = 0; i < _options.RandomNegatives; i++)
        {
            negatives[i] = random.Next(_itemCount);
        }

        for (int i = 0; i < _options.NeighbourNegatives; i++)
        {
            negatives[_options.RandomNegatives + i] = _neighbours!.Sample(Queries[i % Queries.Length], random);
        }
    }

    /// <summary>The (queries, candidates) mask of true matches among the batch's candidates, on <paramref name="device"/>.</summary>
    public Tensor FalseNegatives(Device device)
    {
        _mask.Build(Queries, Candidates, _maskValues);
        return tensor(_maskValues, [Queries.Length, Candidates.Length]).to(device);
    }
}
