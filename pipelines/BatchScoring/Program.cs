// Batch scoring with a saved model zip and nothing else: load the zip with ML.NET, read a file of queries (one per
// line, first column, '#' lines skipped) with LoadFromTextFile, transform, and write query<TAB>rank<TAB>document<TAB>score.
// This is the per-row ML.NET path; `hierret score` does the same in batches, much faster, for large files.
using System.Globalization;
using HierRetrieval.Runtime.Zips.Tokenization;
using Microsoft.ML;
using Microsoft.ML.Data;

if (args.Length != 3)
{
    Console.Error.WriteLine("usage: BatchScoring <model.zip> <queries.tsv> <out.tsv>");
    return 2;
}

var (modelPath, queriesPath, outPath) = (args[0], args[1], args[2]);
var mlContext = new MLContext(seed: 0);

// The one call a loading program needs for zips over a sentence encoder: their tokenizer is saved code of the
// scoring runtime (lookup and n-gram text zips load without it).
mlContext.ComponentCatalog.RegisterAssembly(typeof(WordPieceTokenMappings).Assembly);
var model = mlContext.Model.Load(modelPath, out var inputSchema);
var queryColumn = inputSchema[0].Name;
var queries = mlContext.Data.LoadFromTextFile(
    queriesPath,
    [new TextLoader.Column(queryColumn, DataKind.String, 0)],
    separatorChar: '\t',
    allowQuoting: false);

var scored = model.Transform(queries);
using var cursor = scored.GetRowCursor(scored.Schema);
var getQuery = cursor.GetGetter<ReadOnlyMemory<char>>(scored.Schema[queryColumn]);
var getDocuments = cursor.GetGetter<VBuffer<ReadOnlyMemory<char>>>(scored.Schema["Documents"]);
var getScores = cursor.GetGetter<VBuffer<float>>(scored.Schema["Scores"]);
ReadOnlyMemory<char> query = default;
VBuffer<ReadOnlyMemory<char>> documents = default;
VBuffer<float> scores = default;
string temporary = outPath + ".tmp";
int rows = 0;
using (var writer = new StreamWriter(temporary))
{
    writer.WriteLine("query\trank\tdocument\tscore");
    while (cursor.MoveNext())
    {
        getQuery(ref query);
        if (query.Span.StartsWith("#"))
        {
            continue;
        }

        getDocuments(ref documents);
        getScores(ref scores);
        var names = documents.DenseValues().ToArray();
        var values = scores.DenseValues().ToArray();
        for (int rank = 0; rank < names.Length; rank++)
        {
            writer.WriteLine($"{query}\t{rank + 1}\t{names[rank]}\t{values[rank].ToString("R", CultureInfo.InvariantCulture)}");
        }

        rows++;
    }
}

File.Move(temporary, outPath, overwrite: true);
Console.WriteLine($"scored {rows} queries into {outPath}");
return 0;
