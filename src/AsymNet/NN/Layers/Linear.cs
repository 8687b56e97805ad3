using AsymNet.Tensors;
using AsymNet.Tensors.Ops;

namespace AsymNet.NN.Layers;

/// <summary>y = x·Wᵀ + b (PyTorch nn.Linear): parameters "weight" [out, in] and "bias" [out].</summary>
public class Linear : Module
{
    public Linear(int inFeatures, int outFeatures, Rng rng, bool bias = true, WeightInit init = WeightInit.KaimingUniform)
    {
        InFeatures = inFeatures;
        OutFeatures = outFeatures;
        Weight = RegisterParameter("weight", Tensor.Persistent(outFeatures, inFeatures));
        Init.Initialize(Weight, init, rng);
        if (bias)
        {
            Bias = RegisterParameter("bias", Tensor.Persistent(outFeatures));
            Init.UniformFanIn(Bias, inFeatures, rng);
        }
    }

    public int InFeatures { get; }
    public int OutFeatures { get; }
    public Tensor Weight { get; }
    public Tensor? Bias { get; }

    /// <summary>The weight the forward pass multiplies by (W-Asymmetric layers blend in their fixed entries).</summary>
    public virtual Tensor EffectiveWeight() => Weight;

    /// <summary>Noise on the output (a variational posterior's sample); null: deterministic.</summary>
    public IOutputNoise? Noise { get; set; }

    public override Tensor Forward(Tensor x)
    {
        var y = Ops.Linear(x, EffectiveWeight(), Bias);
        return Noise is null ? y : Noise.AddTo(y, x);
    }
}
