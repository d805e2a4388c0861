using Microsoft.ML;
using Microsoft.ML.Data;

namespace HierRetrieval.MLNet.Schema;

/// <summary>
/// Adds output columns to a <see cref="SchemaShape"/>. ML.NET keeps the constructors of schema-shape columns internal;
/// the public route is an estimator's GetOutputSchema, here a CustomMapping estimator that is only asked for its
/// output shape (never fitted or saved).
/// </summary>
internal static class AddedColumns
{
    /// <summary>The input shape plus a float vector, a float vector and a text vector column (any name null is left out).</summary>
    public static SchemaShape Add(MLContext mlContext, SchemaShape input, (string Name, int Size)? embedding, (string Name, int Size)? scores, string? documents)
    {
        var definition = SchemaDefinition.Create(typeof(Outputs));
        Set(nameof(Outputs.Embedding), embedding?.Name, embedding is { } e ? new VectorDataViewType(NumberDataViewType.Single, 1, e.Size) : null);
        Set(nameof(Outputs.Scores), scores?.Name, scores is { } s ? new VectorDataViewType(NumberDataViewType.Single, 1, s.Size) : null);
        Set(nameof(Outputs.Documents), documents, new VectorDataViewType(TextDataViewType.Instance));
        return mlContext.Transforms.CustomMapping<Inputs, Outputs>((_, _) => { }, contractName: null, outputSchemaDefinition: definition).GetOutputSchema(input);

        void Set(string member, string? name, DataViewType? type)
        {
            var column = definition.Single(c => c.MemberName == member);
            if (name is null)
            {
                definition.Remove(column);
                return;
            }

            column.ColumnName = name;
            column.ColumnType = type;
        }
    }

    private sealed class Inputs;

    private sealed class Outputs
    {
        public float[] Embedding { get; set; } = [];

        public float[] Scores { get; set; } = [];

        public string[] Documents { get; set; } = [];
    }
}
