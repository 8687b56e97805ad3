using AsymNet.NN.Layers;
using AsymNet.Tensors;
using AsymNet.Tensors.Ops;

namespace AsymNet.Bayes;

/// <summary>
/// The ELRG posterior of a Conv2d (or W-Asym Conv2d) layer; σ_p² scales with its input channels (the authors' code).
/// The rank directions V_r [Cout, Cin, k, k] are stacked into one [rank·Cout, …] filter bank, so one convolution
/// gives every direction's output, rank-major: output channel c of direction r is channel r·Cout + c. The authors'
/// grouped-conv reshape reads that layout as (Cout, rank) and mixes filters of different output channels.
/// </summary>
public sealed class ElrgConv2d(string layer, Conv2d conv, ElrgOptions options, NoiseSource noise)
    : ElrgPosterior(layer, conv.Weight, conv.Bias, conv.Fixed?.Mask, conv.InChannels, options, noise)
{
    public Conv2d Conv { get; } = conv;

    protected override Tensor Propagate(Tensor x, Tensor weight, Tensor? bias) => Ops.Conv2d(x, weight, bias, Conv.Stride, Conv.Padding);

    /// <summary>Zero, as the authors initialise the grouped conv that holds V.</summary>
    public override void InitializeV(Rng rng)
    {
        VWeight?.Span.Clear();
        VBias?.Span.Clear();
    }
}
