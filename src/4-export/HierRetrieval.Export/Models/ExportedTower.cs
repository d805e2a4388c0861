using HierRetrieval.Data.IO;
using HierRetrieval.Export.Onnx;
using HierRetrieval.Retrieval;

namespace HierRetrieval.Export.Models;

/// <summary>Which side of the dual encoder a tower embeds.</summary>
public enum TowerRole
{
    /// <summary>The query tower.</summary>
    Query,

    /// <summary>The document tower.</summary>
    Document,
}

/// <summary>
/// One trained tower as a self-contained ONNX model: its graph (item id in, unit-norm embedding out) and, in the
/// model's metadata, its role and vocabulary (item i + 1 = <see cref="Vocabulary"/>[i]; id 0 and every id past the
/// vocabulary are unknown and embed to zeros).
/// </summary>
public sealed class ExportedTower
{
    private ExportedTower(TowerRole role, IReadOnlyList<string> vocabulary, int dimension, byte[] onnxModel)
    {
        Role = role;
        Vocabulary = vocabulary;
        Dimension = dimension;
        OnnxModel = onnxModel;
    }

    /// <summary>The side this tower embeds.</summary>
    public TowerRole Role { get; }

    /// <summary>The items the tower knows, in row order.</summary>
    public IReadOnlyList<string> Vocabulary { get; }

    /// <summary>Embedding dimension.</summary>
    public int Dimension { get; }

    /// <summary>The serialized ONNX model (names in <see cref="OnnxModelMetadata"/>).</summary>
    public byte[] OnnxModel { get; }

    /// <summary>Exports a lookup-table tower whose row i embeds <paramref name="vocabulary"/>[i].</summary>
    /// <exception cref="ArgumentException">The vocabulary and the table differ in length, or the vocabulary has an empty, repeated or multi-line name.</exception>
    public static ExportedTower FromTable(TowerRole role, IReadOnlyList<string> vocabulary, EmbeddingMatrix table)
    {
        if (vocabulary.Count != table.Rows)
        {
            throw new ArgumentException($"the vocabulary has {vocabulary.Count} names but the table has {table.Rows} rows", nameof(vocabulary));
        }

        var options = OnnxModelMetadata.TowerOptions(new Dictionary<string, string>
        {
            [OnnxModelMetadata.KindKey] = OnnxModelMetadata.TowerKind,
            [OnnxModelMetadata.RoleKey] = role.ToString(),
            [OnnxModelMetadata.QueryVocabularyKey] = OnnxModelMetadata.JoinNames(vocabulary),
        });
        return new ExportedTower(role, vocabulary, table.Dimension, LookupTowerOnnx.Build(table, options));
    }

    /// <summary>Writes the ONNX model to <paramref name="path"/> atomically.</summary>
    public void Save(string path) => AtomicFile.Write(path, stream => stream.Write(OnnxModel));

    /// <summary>Reads a tower written by <see cref="Save"/>.</summary>
    /// <exception cref="InvalidDataException">The file is not an ONNX model, or not a tower exported by this library.</exception>
    public static ExportedTower Load(string path)
    {
        byte[] bytes = File.ReadAllBytes(path);
        var model = OnnxModelMetadata.Read(bytes, path);
        model.RequireKind(OnnxModelMetadata.TowerKind);
        if (!Enum.TryParse<TowerRole>(model.Require(OnnxModelMetadata.RoleKey), out var role))
        {
            throw new InvalidDataException($"{path}: unknown tower role '{model.Require(OnnxModelMetadata.RoleKey)}'");
        }

        return new ExportedTower(role, model.Names(OnnxModelMetadata.QueryVocabularyKey), model.EmbeddingDimension, bytes);
    }
}
