// Scores a query file with a saved model zip using the HierRetrieval.Runtime package alone, and prints the rows.
// Usage: ScoreWithRuntime <model.zip> <queries.tsv> <k>
using System.Globalization;
using HierRetrieval.Runtime.Scoring;
using HierRetrieval.Runtime.Zips;

using var scorer = new BatchScorer(RetrievalModelZip.Read(args[0]));
var output = new StringWriter(CultureInfo.InvariantCulture) { NewLine = "\n" };
QueryFileScorer.Score(scorer, QueryFile.Read(args[1], header: false), int.Parse(args[2], CultureInfo.InvariantCulture), output, BadRowPolicy.Fail);
Console.Out.Write(output.ToString());
