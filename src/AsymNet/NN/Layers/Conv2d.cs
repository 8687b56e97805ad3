using AsymNet.NN.Asymmetry;
using AsymNet.Tensors;
using AsymNet.Tensors.Ops;

namespace AsymNet.NN.Layers;

/// <summary>2-D convolution (PyTorch nn.Conv2d, square kernel): "weight" [Cout, Cin, k, k], optional "bias" [Cout].
/// No bias by default, as in every ResNet of the paper.</summary>
public class Conv2d : WeightLayer
{
    public Conv2d(int inChannels, int outChannels, int kernelSize, Rng rng, int stride = 1, int padding = 0,
                  bool bias = false, WeightInit init = WeightInit.KaimingUniform)
        : this(inChannels, outChannels, kernelSize, rng, stride, padding, bias, init, null)
    {
    }

    protected Conv2d(int inChannels, int outChannels, int kernelSize, Rng rng, int stride, int padding, bool bias,
                     WeightInit init, FixedWeights? fixedWeights)
        : base([outChannels, inChannels, kernelSize, kernelSize], bias, init, rng, fixedWeights)
    {
        InChannels = inChannels;
        OutChannels = outChannels;
        KernelSize = kernelSize;
        Stride = stride;
        Padding = padding;
    }

    public int InChannels { get; }
    public int OutChannels { get; }
    public int KernelSize { get; }
    public int Stride { get; }
    public int Padding { get; }

    protected override Tensor Apply(Tensor x, Tensor weight, Tensor? bias) => Ops.Conv2d(x, weight, bias, Stride, Padding);
}
