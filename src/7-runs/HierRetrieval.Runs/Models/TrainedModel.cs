using System.Runtime.InteropServices;
using HierRetrieval.Data.Hierarchies;
using HierRetrieval.Data.IO;
using HierRetrieval.Retrieval;

namespace HierRetrieval.Runs.Models;

/// <summary>
/// A trained lookup-table dual encoder as a file: the manifest (JSON), the node ids, and the unit-norm query and
/// document embedding of every node (float32). Reading it calls no TorchSharp code.
/// </summary>
/// <param name="Ids">Node ids, row i = node i.</param>
/// <param name="Embeddings">The towers' outputs for every node.</param>
/// <param name="Manifest">How it was trained.</param>
public sealed record TrainedModel(IReadOnlyList<string> Ids, NodeEmbeddings Embeddings, TrainingManifest Manifest)
{
    /// <summary>The file name used inside a training output folder.</summary>
    public const string FileName = "embeddings.bin";

    /// <summary>Written with an integrity footer (<see cref="ChecksummedFile"/>); files of version 1 have none and are still read.</summary>
    private const string Magic = "HierRetrieval.TrainedModel/2", MagicWithoutFooter = "HierRetrieval.TrainedModel/1";
    private const string Remedy = "train it again (hierret train with the same settings writes it anew)";

    /// <summary>The embeddings in <paramref name="hierarchy"/>'s node order (row i = node i), matched by id.</summary>
    /// <exception cref="ArgumentException">A node of the hierarchy has no embedding in the model.</exception>
    public NodeEmbeddings EmbeddingsFor(Hierarchy hierarchy)
    {
        var rowOf = new Dictionary<string, int>(Ids.Count, StringComparer.Ordinal);
        for (int row = 0; row < Ids.Count; row++)
        {
            rowOf[Ids[row]] = row;
        }

        int[] rows = new int[hierarchy.Count];
        for (int node = 0; node < hierarchy.Count; node++)
        {
            rows[node] = rowOf.TryGetValue(hierarchy.IdOf(node), out int row)
                ? row
                : throw new ArgumentException($"the model has no embedding for node '{hierarchy.IdOf(node)}': it was trained on {Manifest.Hierarchy}", nameof(hierarchy));
        }

        return new NodeEmbeddings(Embeddings.Queries.SelectRows(rows), Embeddings.Documents.SelectRows(rows));
    }

    /// <summary>Writes the model atomically.</summary>
    public void Save(string path) => ChecksummedFile.Write(path, stream =>
    {
        using var writer = new BinaryWriter(stream, System.Text.Encoding.UTF8, leaveOpen: true);
        writer.Write(Magic);
        writer.Write(Manifest.ToJson());
        writer.Write(Ids.Count);
        writer.Write(Embeddings.Queries.Dimension);
        foreach (string id in Ids)
        {
            writer.Write(id);
        }

        writer.Write(MemoryMarshal.AsBytes<float>(Embeddings.Queries.Values));
        writer.Write(MemoryMarshal.AsBytes<float>(Embeddings.Documents.Values));
    });

    /// <summary>Reads a model from a file, or from <see cref="FileName"/> inside a folder.</summary>
    /// <exception cref="FileNotFoundException">Neither exists.</exception>
    /// <exception cref="InvalidDataException">The file is not a model, or is truncated or damaged; the message names it.</exception>
    public static TrainedModel Load(string path)
    {
        string file = Directory.Exists(path) ? Path.Combine(path, FileName) : path;
        if (!File.Exists(file))
        {
            throw new FileNotFoundException($"{file}: no such model file (a training output folder holds {FileName})", file);
        }

        bool footer = ChecksummedFile.HasFooter(file);
        using var reader = new BinaryReader(footer ? ChecksummedFile.OpenPayload(file, "model file", Remedy) : File.OpenRead(file));
        try
        {
            if (reader.ReadString() != (footer ? Magic : MagicWithoutFooter))
            {
                throw new InvalidDataException($"{file}: not a trained model");
            }

            var manifest = TrainingManifest.FromJson(reader.ReadString(), file);
            int rows = reader.ReadInt32();
            int dimension = reader.ReadInt32();
            string[] ids = new string[rows];
            for (int i = 0; i < rows; i++)
            {
                ids[i] = reader.ReadString();
            }

            return new TrainedModel(ids, new NodeEmbeddings(ReadMatrix(reader, rows, dimension), ReadMatrix(reader, rows, dimension)), manifest);
        }
        catch (Exception e) when (e is EndOfStreamException or IOException)
        {
            throw new InvalidDataException($"{file}: the model file is truncated or damaged ({e.Message}); {Remedy}", e);
        }
    }

    private static EmbeddingMatrix ReadMatrix(BinaryReader reader, int rows, int dimension)
    {
        float[] values = new float[(long)rows * dimension];
        reader.BaseStream.ReadExactly(MemoryMarshal.AsBytes(values.AsSpan()));
        return new EmbeddingMatrix(rows, dimension, values);
    }
}
