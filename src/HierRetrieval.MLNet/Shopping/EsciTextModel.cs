using HierRetrieval.Export.Onnx;
using HierRetrieval.MLNet.Text;
using HierRetrieval.Retrieval;

namespace HierRetrieval.MLNet.Shopping;

/// <summary>
/// A trained shopping model: the featurizer, the two text towers' weights, and the embedded product corpus
/// (row i = <see cref="ProductIds"/>[i]).
/// </summary>
public sealed record EsciTextModel(
    TextFeaturizer Featurizer, TextTowerWeights QueryTower, TextTowerWeights DocumentTower, IReadOnlyList<string> ProductIds, EmbeddingMatrix Products);
