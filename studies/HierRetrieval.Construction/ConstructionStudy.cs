using HierRetrieval.Data.Datasets;

namespace HierRetrieval.Construction;

/// <summary>One perfect tree of the study and the smallest dimension the construction needs for it.</summary>
/// <param name="Branching">W.</param>
/// <param name="Height">H (levels; every leaf's match set has H nodes).</param>
/// <param name="Nodes">Nodes of the tree.</param>
/// <param name="Dimension">Smallest dimension reaching the target recall.</param>
/// <param name="Recall">Mean overall recall at that dimension.</param>
public sealed record StudyPoint(int Branching, int Height, int Nodes, int Dimension, double Recall);

/// <summary>
/// The synthetic study of the construction: the smallest dimension reaching the target recall on perfect trees,
/// varying H at fixed W and W at fixed H, with the fitted slopes (log d against log H; d against ln W).
/// </summary>
public sealed record ConstructionStudy(
    DimensionSearchOptions Options,
    IReadOnlyList<StudyPoint> ByHeight,
    IReadOnlyList<StudyPoint> ByBranching,
    LinearFit HeightFit,
    LinearFit BranchingFit)
{
    /// <summary>Runs both series; <paramref name="progress"/> receives one line per finished tree.</summary>
    public static ConstructionStudy Run(
        int fixedBranching,
        IReadOnlyList<int> heights,
        int fixedHeight,
        IReadOnlyList<int> branchings,
        DimensionSearchOptions options,
        IProgress<StudyPoint>? progress = null)
    {
        var byHeight = heights.Select(h => Point(fixedBranching, h, options, progress)).ToList();
        var byBranching = branchings.Select(w => Point(w, fixedHeight, options, progress)).ToList();
        var heightFit = LinearFit.Fit(byHeight.Select(p => Math.Log(p.Height)).ToList(), byHeight.Select(p => Math.Log(p.Dimension)).ToList());
        var branchingFit = LinearFit.Fit(byBranching.Select(p => Math.Log(p.Branching)).ToList(), byBranching.Select(p => (double)p.Dimension).ToList());
        return new ConstructionStudy(options, byHeight, byBranching, heightFit, branchingFit);
    }

    private static StudyPoint Point(int branching, int height, DimensionSearchOptions options, IProgress<StudyPoint>? progress)
    {
        var tree = SyntheticHierarchies.PerfectTree(branching, height);
        var found = DimensionSearch.Smallest(tree, options);
        var point = new StudyPoint(branching, height, tree.Count, found.Dimension, found.Recall);
        progress?.Report(point);
        return point;
    }
}
