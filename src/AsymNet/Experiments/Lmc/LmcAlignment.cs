using System.Globalization;
using AsymNet.NN.Models;
using AsymNet.Symmetry.Matching;
using AsymNet.Tensors;

namespace AsymNet.Experiments.Lmc;

/// <summary>Aligns the second network of a standard pair to the first, in place (the re-basin column).</summary>
public static class LmcAlignment
{
    /// <summary>Git Re-Basin weight matching (MLP, ResNets; docs/paper.md#weight-matching).</summary>
    public static string WeightMatching(Model a, Model b, Rng rng)
    {
        var (aligned, r) = Symmetry.Matching.WeightMatching.Align(a, b, rng);
        b.LoadStateDict(aligned);
        return string.Create(CultureInfo.InvariantCulture,
            $"weight matching: objective {r.ObjectiveBefore:G6} → {r.ObjectiveAfter:G6}, {r.Sweeps} sweep(s){(r.Converged ? "" : " (limit)")}, " +
            $"{r.Changes.Sum(c => c.UnitsMoved)} of {r.Changes.Sum(c => c.Size)} units moved");
    }

    /// <summary>Activation matching on the full graph (GNN; docs/paper.md#activation-matching), BatchNorm statistics
    /// permuted too (docs/paper.md#h12).</summary>
    public static string ActivationMatching(Model a, Model b, Tensor features, CsrAdjacency adjacency)
    {
        if (a is not Gnn ga || b is not Gnn gb) throw new ArgumentException("Activation matching needs two GNNs.");
        var r = Symmetry.Matching.ActivationMatching.Match(ga, gb, features, adjacency);
        b.LoadStateDict(PermutationSpec.For(b).Apply(b.StateDict().ToDictionary(), r.Permutations));
        return string.Create(CultureInfo.InvariantCulture,
            $"activation matching: {string.Join(", ", r.Layers.Select(l => $"{l.Name} score {l.IdentityScore:G4} → {l.MatchedScore:G4}, {l.UnitsMoved}/{l.Size} moved"))}");
    }
}
