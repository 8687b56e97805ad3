using AsymNet.NN.Layers;
using AsymNet.Tensors;
using AsymNet.Tensors.Ops;

namespace AsymNet.Bayes;

/// <summary>The ELRG posterior of a Linear (or W-Asym Linear) layer; σ_p² scales with its output features.</summary>
public sealed class ElrgLinear(string layer, Linear linear, ElrgOptions options, NoiseSource noise)
    : ElrgPosterior(layer, linear.Weight, linear.Bias, linear.Fixed?.Mask, linear.OutFeatures, options, noise)
{
    protected override Tensor Propagate(Tensor x, Tensor weight, Tensor? bias) => Ops.Linear(x, weight, bias);

    public override void InitializeV(Rng rng)
    {
        if (VWeight is null) return;
        var w = Mean.Span;
        double mean = 0, sq = 0;
        foreach (var v in w) mean += v;
        mean /= w.Length;
        foreach (var v in w) sq += (v - mean) * (v - mean);
        // torch.std is the unbiased estimate.
        var std = Math.Sqrt(sq / Math.Max(1, w.Length - 1));
        rng.FillNormal(VWeight.Span, 0f, (float)(0.5 * std / Math.Sqrt(Rank)));
        if (VBias is not null) rng.FillNormal(VBias.Span, 0f, 0.01f);
    }
}
