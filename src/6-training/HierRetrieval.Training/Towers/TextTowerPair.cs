using HierRetrieval.Data.Features;

namespace HierRetrieval.Training.Towers;

/// <summary>
/// The query and document text towers of one run, created on the options' device with seeds Seed and Seed + 1, or
/// one tower serving both sides (shared weights).
/// </summary>
public sealed class TextTowerPair : IDisposable
{
    private readonly TextTower? _separate;

    /// <summary>Creates the towers.</summary>
    /// <param name="queryBags">Features of each item as a query.</param>
    /// <param name="documentBags">Features of each item as a document.</param>
    /// <param name="trainer">Dimension, seed and device.</param>
    /// <param name="towers">The towers' shape.</param>
    /// <param name="shared">One tower for both sides; the two bag sets must then be the same.</param>
    /// <exception cref="ArgumentException">Shared towers were asked for with different query and document features.</exception>
    public TextTowerPair(FeatureBags queryBags, FeatureBags documentBags, DualEncoderTrainerOptions trainer, TextTowerOptions towers, bool shared = false)
    {
        if (shared && !ReferenceEquals(queryBags, documentBags))
        {
            throw new ArgumentException("a shared tower reads one set of features: pass the same bags for queries and documents", nameof(documentBags));
        }

        var device = DualEncoderTrainer.ResolveDevice(trainer.Device);
        Queries = new TextTower(queryBags, trainer.Dimension, towers, trainer.Seed, device);
        _separate = shared ? null : new TextTower(documentBags, trainer.Dimension, towers, trainer.Seed + 1L, device);
    }

    /// <summary>The query tower.</summary>
    public TextTower Queries { get; }

    /// <summary>The document tower (the query tower when shared).</summary>
    public TextTower Documents => _separate ?? Queries;

    /// <summary>Releases both towers.</summary>
    public void Dispose()
    {
        Queries.Dispose();
        _separate?.Dispose();
    }
}
