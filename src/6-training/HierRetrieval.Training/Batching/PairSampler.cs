using HierRetrieval.Data.Pairs;

namespace HierRetrieval.Training.Batching;

/// <summary>Chooses the matched pairs of each training batch; batch n depends only on the seed and n.</summary>
public abstract class PairSampler
{
    /// <summary>Fills <paramref name="batch"/> with the pairs of batch number <paramref name="step"/> (0-based).</summary>
    public abstract void Fill(long step, Span<MatchedPair> batch);

    /// <summary>Epochs over <paramref name="pairs"/>, each in its own seeded random order.</summary>
    public static PairSampler Shuffled(PairSet pairs, long seed, long stream) => new ShuffledPairSampler(pairs, seed, stream);

    /// <summary>
    /// Each slot of a batch is a uniformly drawn far pair with probability <paramref name="farFraction"/> and a
    /// uniformly drawn pair of <paramref name="all"/> otherwise: far pairs are oversampled at mixing ratio p.
    /// </summary>
    public static PairSampler Mixed(PairSet all, PairSet far, double farFraction, long seed, long stream) =>
        new MixedPairSampler(all, far, farFraction, seed, stream);

    private sealed class ShuffledPairSampler : PairSampler
    {
        private readonly MatchedPair[] _pairs;
        private readonly long _seed;
        private readonly long _stream;
        private long _cachedEpoch = -1;
        private int[] _order = [];

        public ShuffledPairSampler(PairSet pairs, long seed, long stream)
        {
            _pairs = pairs.Pairs.ToArray();
            if (_pairs.Length == 0)
            {
                throw new ArgumentException("no pairs to sample from", nameof(pairs));
            }

            _seed = seed;
            _stream = stream;
        }

        public override void Fill(long step, Span<MatchedPair> batch)
        {
            long position = step * batch.Length;
            for (int i = 0; i < batch.Length; i++, position++)
            {
                long epoch = position / _pairs.Length;
                batch[i] = _pairs[OrderOf(epoch)[position % _pairs.Length]];
            }
        }

        private int[] OrderOf(long epoch)
        {
            if (epoch != _cachedEpoch)
            {
                _order = [.. Enumerable.Range(0, _pairs.Length)];
                StepRandom.For(_seed, _stream, epoch).Shuffle(_order);
                _cachedEpoch = epoch;
            }

            return _order;
        }
    }

    private sealed class MixedPairSampler : PairSampler
    {
        private readonly MatchedPair[] _all;
        private readonly MatchedPair[] _far;
        private readonly double _farFraction;
        private readonly long _seed;
        private readonly long _stream;

        public MixedPairSampler(PairSet all, PairSet far, double farFraction, long seed, long stream)
        {
            ArgumentOutOfRangeException.ThrowIfNegative(farFraction);
            ArgumentOutOfRangeException.ThrowIfGreaterThan(farFraction, 1.0);
            _all = all.Pairs.ToArray();
            _far = far.Pairs.ToArray();
            if (_all.Length == 0 || (_far.Length == 0 && farFraction > 0))
            {
                throw new ArgumentException("no pairs to sample from");
            }

            _farFraction = farFraction;
            _seed = seed;
            _stream = stream;
        }

        public override void Fill(long step, Span<MatchedPair> batch)
        {
            var random = StepRandom.For(_seed, _stream, step);
            for (int i = 0; i < batch.Length; i++)
            {
                batch[i] = random.NextDouble() < _farFraction ? _far[random.Next(_far.Length)] : _all[random.Next(_all.Length)];
            }
        }
    }
}
