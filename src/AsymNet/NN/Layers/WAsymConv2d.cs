using AsymNet.NN.Asymmetry;
using AsymNet.Tensors;

namespace AsymNet.NN.Layers;

/// <summary>
/// W-Asymmetric Conv2d (the authors' SparseConv2d): conv2d(x, W') with W' = M⊙W + (1−M)⊙κF and no bias.
/// Masks fix entries or whole input-channel filters per output channel. Keys: "weight" (raw W, κF written into its
/// fixed entries at construction and after loading), "mask", "normal_mask".
/// </summary>
public sealed class WAsymConv2d : Conv2d
{
    public WAsymConv2d(int inChannels, int outChannels, int kernelSize, LayerAsymmetry spec, ulong architectureSeed,
                       string layerName, Rng rng, int stride = 1, int padding = 0, WeightInit init = WeightInit.KaimingUniform)
        : base(inChannels, outChannels, kernelSize, rng, stride, padding, bias: false, init)
    {
        Fixed = new FixedWeights([outChannels, inChannels, kernelSize, kernelSize], spec, architectureSeed, layerName);
        RegisterBuffer("mask", Fixed.Mask);
        RegisterBuffer("normal_mask", Fixed.F);
        Weight.SetGradMask(Fixed.Mask);
        Fixed.WriteFixedValuesInto(Weight);
    }

    public FixedWeights Fixed { get; }

    public override Tensor EffectiveWeight() => Fixed.Effective(Weight);

    protected override long OwnFixedParameterCount => Fixed.FixedCount();

    protected override void OnStateLoaded()
    {
        Fixed.WriteFixedValuesInto(Weight);
        base.OnStateLoaded();
    }
}
