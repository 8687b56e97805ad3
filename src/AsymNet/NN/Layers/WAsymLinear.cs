using AsymNet.NN.Asymmetry;
using AsymNet.Tensors;

namespace AsymNet.NN.Layers;

/// <summary>
/// W-Asymmetric Linear (the authors' SparseLinear): y = x·W'ᵀ + b with W' = M⊙W + (1−M)⊙κF. Keys: "weight" (raw W,
/// with κF written into its fixed entries at construction and after loading), "bias", "mask", "normal_mask".
/// Biases are never masked (paper §4.3).
/// </summary>
public sealed class WAsymLinear : Linear
{
    public WAsymLinear(int inFeatures, int outFeatures, LayerAsymmetry spec, ulong architectureSeed, string layerName,
                       Rng rng, bool bias = true, WeightInit init = WeightInit.KaimingUniform)
        : base(inFeatures, outFeatures, rng, bias, init)
    {
        Fixed = new FixedWeights([outFeatures, inFeatures], spec, architectureSeed, layerName);
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
