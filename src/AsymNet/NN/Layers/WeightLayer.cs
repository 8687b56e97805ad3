using AsymNet.NN.Asymmetry;
using AsymNet.Tensors;

namespace AsymNet.NN.Layers;

/// <summary>
/// A layer that applies one op to its input with a "weight" [out, in, ...] and an optional "bias" [out]: Linear and
/// Conv2d. With <see cref="Fixed"/> set (WAsymLinear, WAsymConv2d) it is W-Asymmetric: the op sees
/// W' = M⊙W + (1−M)⊙κF, the state dict gains "mask" and "normal_mask", and the raw W holds κF in its fixed entries
/// (at construction and after loading), as the authors' checkpoints do.
/// </summary>
public abstract class WeightLayer : Module
{
    /// <param name="fixedWeights">The fixed part of a W-Asymmetric layer; null for a standard one.</param>
    protected WeightLayer(int[] weightShape, bool bias, WeightInit init, Rng rng, FixedWeights? fixedWeights)
    {
        Weight = RegisterParameter("weight", Tensor.Persistent(weightShape));
        Init.Initialize(Weight, init, rng);
        if (bias)
        {
            Bias = RegisterParameter("bias", Tensor.Persistent(weightShape[0]));
            Init.UniformFanIn(Bias, Init.FanIn(weightShape), rng);
        }
        if (fixedWeights is null) return;
        Fixed = fixedWeights;
        RegisterBuffer("mask", Fixed.Mask);
        RegisterBuffer("normal_mask", Fixed.F);
        Weight.SetGradMask(Fixed.Mask);
        Fixed.WriteFixedValuesInto(Weight);
    }

    public Tensor Weight { get; }
    public Tensor? Bias { get; }

    /// <summary>The fixed part (mask, F, κ) of a W-Asymmetric layer; null for a standard one.</summary>
    public FixedWeights? Fixed { get; }

    /// <summary>Noise on the output (a variational posterior's sample); null: deterministic.</summary>
    public IOutputNoise? Noise { get; set; }

    /// <summary>The weight the op sees: W, or W' = M⊙W + (1−M)⊙κF for a W-Asymmetric layer.</summary>
    public Tensor EffectiveWeight() => Fixed is null ? Weight : Fixed.Effective(Weight);

    public override Tensor Forward(Tensor x)
    {
        var y = Apply(x, EffectiveWeight(), Bias);
        return Noise is null ? y : Noise.AddTo(y, x);
    }

    /// <summary>The layer's op (Ops.Linear, Ops.Conv2d with its stride and padding).</summary>
    protected abstract Tensor Apply(Tensor x, Tensor weight, Tensor? bias);

    protected override long OwnFixedParameterCount => Fixed?.FixedCount() ?? 0;

    protected override void OnStateLoaded()
    {
        Fixed?.WriteFixedValuesInto(Weight);
        base.OnStateLoaded();
    }
}
