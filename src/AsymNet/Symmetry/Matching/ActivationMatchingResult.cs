namespace AsymNet.Symmetry.Matching;

/// <summary>One layer of an activation matching: the summed similarity of matched units before (identity) and after.</summary>
public sealed record LayerMatch(string Name, int Size, double IdentityScore, double MatchedScore, int UnitsMoved);

/// <summary>Permutations (perm[i] = B's unit for A's unit i, in <see cref="PermutationSpec.For"/> order) and per-layer scores.</summary>
public sealed record ActivationMatchingResult(int[][] Permutations, IReadOnlyList<LayerMatch> Layers);
