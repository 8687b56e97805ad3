using AsymNet.NN.Models;
using AsymNet.Tensors;

namespace AsymNet.Symmetry.Audit;

/// <summary>
/// Applies the parameter symmetries of a standard network (hidden-unit permutations; positive rescaling where ReLU
/// allows it) to a model and measures how its outputs on a batch change (paper §3–4). Standard models keep their
/// function; W-Asym and σ-Asym models do not, because their fixed masks, F and FiGLU matrices stay in place.
/// The model's state is restored afterwards; it is evaluated in eval mode.
/// </summary>
public static class SymmetryAudit
{
    public static AuditReport Run(Model model, ModelInput input, SymmetryTransform transform, Rng rng)
    {
        var groups = UnitGroups.For(model).Where(g => transform == SymmetryTransform.Permutation || g.Rescalable).ToList();
        var state = model.StateDict().ToDictionary(kv => kv.Key, kv => kv.Value);
        var snapshot = state.ToDictionary(kv => kv.Key, kv => kv.Value.ToArray());
        var wasTraining = model.Training;
        model.Eval();
        try
        {
            var before = FunctionComparison.Logits(model, input);
            foreach (var g in groups) Apply(g, state, transform, rng);
            var after = FunctionComparison.Logits(model, input);
            double max = 0, sum = 0, sumOut = 0;
            for (var i = 0; i < before.Length; i++)
            {
                var d = Math.Abs((double)after[i] - before[i]);
                max = Math.Max(max, d);
                sum += d;
                sumOut += Math.Abs(before[i]);
            }
            return new AuditReport(transform, groups.Count, groups.Sum(g => g.Size), max, sum / before.Length, sumOut / before.Length);
        }
        finally
        {
            foreach (var (key, values) in snapshot) values.CopyTo(state[key].Span);
            model.Train(wasTraining);
        }
    }

    /// <summary>Both transformations (rescaling reported as not applicable where no ReLU group exists).</summary>
    public static IReadOnlyList<AuditReport> RunAll(Model model, ModelInput input, ulong seed) =>
        [Run(model, input, SymmetryTransform.Permutation, Rng.ForKey(seed, "audit/permutation")),
         Run(model, input, SymmetryTransform.Rescaling, Rng.ForKey(seed, "audit/rescaling"))];

    private static void Apply(UnitGroup g, Dictionary<string, Tensor> state, SymmetryTransform transform, Rng rng)
    {
        if (transform == SymmetryTransform.Permutation)
        {
            var perm = rng.Permutation(g.Size);
            foreach (var r in g.Permuted) AxisTransform.Permute(state[r.Key], r.Axis, perm);
            return;
        }
        var up = new float[g.Size];
        for (var i = 0; i < up.Length; i++) up[i] = MathF.Exp(rng.Uniform(-1f, 1f));
        var down = up.Select(c => 1f / c).ToArray();
        foreach (var key in g.ScaledUp) AxisTransform.Scale(state[key], 0, up);
        foreach (var r in g.ScaledDown) AxisTransform.Scale(state[r.Key], r.Axis, down);
    }
}
