namespace AsymNet.Symmetry.Matching;

/// <summary>How far one permutation of a matching moved B's units: <see cref="UnitsMoved"/> of <see cref="Size"/>
/// units are not fixed points.</summary>
public sealed record PermutationChange(string Name, int Size, int UnitsMoved);

/// <summary>
/// The outcome of weight matching: one permutation per group of the spec (perm[i] = B's unit for A's unit i), the
/// objective Σ⟨W_A, P(W_B)⟩ over the spec's objective tensors before (identity) and after, the sweeps run, and whether
/// the last sweep made no progress (false means the sweep limit stopped it).
/// </summary>
public sealed record WeightMatchingResult(
    int[][] Permutations, double ObjectiveBefore, double ObjectiveAfter, int Sweeps, bool Converged,
    IReadOnlyList<PermutationChange> Changes);
