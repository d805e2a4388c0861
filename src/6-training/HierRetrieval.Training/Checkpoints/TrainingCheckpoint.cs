using System.Text.Json;
using HierRetrieval.Data.IO;
using HierRetrieval.Training.Reporting;
using HierRetrieval.Training.Towers;
using static TorchSharp.torch;

namespace HierRetrieval.Training.Checkpoints;

/// <summary>Where a run stands: the scalars a checkpoint holds besides the tensors.</summary>
internal sealed class TrainingProgressState
{
    public string Fingerprint { get; set; } = "";
    public int StageIndex { get; set; }
    public int StageStep { get; set; }
    public long StepsBeforeStage { get; set; }
    public double LossSum { get; set; }
    public int LossCount { get; set; }
    public bool HasBest { get; set; }
    public double BestScore { get; set; } = double.NegativeInfinity;
    public int BestStageStep { get; set; }
    public int PointsSinceBest { get; set; }
    public bool StageStopped { get; set; }
    public bool StageStarted { get; set; }
    public List<TrainingCurvePoint> Curve { get; set; } = [];
    public List<StageSummary> CompletedStages { get; set; } = [];
    public Dictionary<string, double> StageSeconds { get; set; } = [];
}

/// <summary>
/// Saves and restores a run: progress scalars as JSON, then each tower's state and the stage's best parameters as
/// raw float32 tensors, with an integrity footer (<see cref="ChecksummedFile"/>). Files are written atomically, so an
/// interrupted save leaves the previous checkpoint; a damaged one is named as such before anything is read from it.
/// </summary>
internal static class TrainingCheckpoint
{
    private const string Magic = "HierRetrieval.TrainingCheckpoint/2";
    private const string Remedy = "delete it to start the run over (or train into another folder)";
    private static readonly JsonSerializerOptions JsonOptions = new() { NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals };

    public static void Save(string path, TrainingProgressState state, IReadOnlyList<NamedTensor> tensors) =>
        ChecksummedFile.Write(path, stream =>
        {
            using var writer = new BinaryWriter(stream, System.Text.Encoding.UTF8, leaveOpen: true);
            writer.Write(Magic);
            writer.Write(JsonSerializer.Serialize(state, JsonOptions));
            writer.Write(tensors.Count);
            foreach (var (name, tensor) in tensors)
            {
                using var scope = NewDisposeScope();
                var host = tensor.detach().cpu().contiguous();
                writer.Write(name);
                writer.Write(host.shape.Length);
                foreach (long size in host.shape)
                {
                    writer.Write(size);
                }

                writer.Write(host.bytes);
            }
        });

    /// <summary>Reads a checkpoint into <paramref name="tensors"/> (matched by name and shape) and returns its progress.</summary>
    /// <exception cref="InvalidDataException">The file is damaged, not a checkpoint, or does not fit these tensors; the message names it and says how to start over.</exception>
    public static TrainingProgressState Load(string path, IReadOnlyList<NamedTensor> tensors)
    {
        using var reader = new BinaryReader(ChecksummedFile.OpenPayload(path, "training checkpoint", Remedy));
        try
        {
            return Read(path, reader, tensors);
        }
        catch (Exception e) when (e is EndOfStreamException or JsonException or IOException)
        {
            throw new InvalidDataException($"{path}: not a training checkpoint of this version ({e.Message}); {Remedy}", e);
        }
    }

    private static TrainingProgressState Read(string path, BinaryReader reader, IReadOnlyList<NamedTensor> tensors)
    {
        if (reader.ReadString() != Magic)
        {
            throw new InvalidDataException($"{path}: not a training checkpoint of this version; {Remedy}");
        }

        var state = JsonSerializer.Deserialize<TrainingProgressState>(reader.ReadString(), JsonOptions)
            ?? throw new InvalidDataException($"{path}: empty progress record; {Remedy}");
        var byName = tensors.ToDictionary(t => t.Name, t => t.Tensor);
        int count = reader.ReadInt32();
        if (count != byName.Count)
        {
            throw new InvalidDataException($"{path}: holds {count} tensors, the run has {byName.Count}; {Remedy}");
        }

        for (int i = 0; i < count; i++)
        {
            string name = reader.ReadString();
            long[] shape = new long[reader.ReadInt32()];
            for (int s = 0; s < shape.Length; s++)
            {
                shape[s] = reader.ReadInt64();
            }

            if (!byName.TryGetValue(name, out var target) || !target.shape.SequenceEqual(shape))
            {
                throw new InvalidDataException($"{path}: tensor {name} [{string.Join(',', shape)}] does not fit this run; {Remedy}");
            }

            using var loaded = empty(shape, ScalarType.Float32);
            reader.BaseStream.ReadExactly(loaded.bytes);
            using var noGrad = no_grad();
            target.copy_(loaded);
        }

        return state;
    }
}
