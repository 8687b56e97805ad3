using AsymNet.NN.Asymmetry;
using AsymNet.Tensors;
using AsymNet.Tensors.Ops;

namespace AsymNet.NN.Layers;

/// <summary>y = x·Wᵀ + b (PyTorch nn.Linear): parameters "weight" [out, in] and "bias" [out].</summary>
public class Linear : WeightLayer
{
    public Linear(int inFeatures, int outFeatures, Rng rng, bool bias = true, WeightInit init = WeightInit.KaimingUniform)
        : this(inFeatures, outFeatures, rng, bias, init, null)
    {
    }

    protected Linear(int inFeatures, int outFeatures, Rng rng, bool bias, WeightInit init, FixedWeights? fixedWeights)
        : base([outFeatures, inFeatures], bias, init, rng, fixedWeights)
    {
        InFeatures = inFeatures;
        OutFeatures = outFeatures;
    }

    public int InFeatures { get; }
    public int OutFeatures { get; }

    protected override Tensor Apply(Tensor x, Tensor weight, Tensor? bias) => Ops.Linear(x, weight, bias);
}
