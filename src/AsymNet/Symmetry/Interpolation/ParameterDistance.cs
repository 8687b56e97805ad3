using AsymNet.NN.Models;

namespace AsymNet.Symmetry.Interpolation;

/// <summary>
/// The paper's "distance per parameter" between two networks (Appendix A; the authors' LMC, GNN and metanet interp
/// scripts): the Euclidean norm of the difference of the two state dicts over every tensor, buffers included, divided
/// by the number of trainable parameters. W-Asym weights are compared as effective weights (κF in the fixed entries,
/// the authors' state-dict convention), so shared fixed parts and masks contribute nothing.
/// </summary>
public static class ParameterDistance
{
    public static double PerParameter(Model a, Model b)
    {
        var other = b.EffectiveStateDict().ToDictionary(kv => kv.Key, kv => kv.Value);
        double sum = 0;
        foreach (var (key, x) in a.EffectiveStateDict())
        {
            if (!other.TryGetValue(key, out var y) || y.Length != x.Length)
                throw new ArgumentException($"The two networks differ in state-dict entry '{key}'; distance needs the same architecture.");
            var xs = x.Span;
            var ys = y.Span;
            for (var i = 0; i < xs.Length; i++)
            {
                var d = (double)xs[i] - ys[i];
                sum += d * d;
            }
        }
        return Math.Sqrt(sum) / a.TrainableParameterCount();
    }
}
