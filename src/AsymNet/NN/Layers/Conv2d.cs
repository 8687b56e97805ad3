using AsymNet.Tensors;
using AsymNet.Tensors.Ops;

namespace AsymNet.NN.Layers;

/// <summary>2-D convolution (PyTorch nn.Conv2d, square kernel): "weight" [Cout, Cin, k, k], optional "bias" [Cout].
/// No bias by default, as in every ResNet of the paper.</summary>
public class Conv2d : Module
{
    public Conv2d(int inChannels, int outChannels, int kernelSize, Rng rng, int stride = 1, int padding = 0,
                  bool bias = false, WeightInit init = WeightInit.KaimingUniform)
    {
        InChannels = inChannels;
        OutChannels = outChannels;
        KernelSize = kernelSize;
        Stride = stride;
        Padding = padding;
        Weight = RegisterParameter("weight", Tensor.Persistent(outChannels, inChannels, kernelSize, kernelSize));
        Init.Initialize(Weight, init, rng);
        if (bias)
        {
            Bias = RegisterParameter("bias", Tensor.Persistent(outChannels));
            Init.UniformFanIn(Bias, inChannels * kernelSize * kernelSize, rng);
        }
    }

    public int InChannels { get; }
    public int OutChannels { get; }
    public int KernelSize { get; }
    public int Stride { get; }
    public int Padding { get; }
    public Tensor Weight { get; }
    public Tensor? Bias { get; }

    /// <summary>The weight the forward pass convolves with (W-Asymmetric layers blend in their fixed entries).</summary>
    public virtual Tensor EffectiveWeight() => Weight;

    /// <summary>Noise on the output (a variational posterior's sample); null: deterministic.</summary>
    public IOutputNoise? Noise { get; set; }

    public override Tensor Forward(Tensor x)
    {
        var y = Ops.Conv2d(x, EffectiveWeight(), Bias, Stride, Padding);
        return Noise is null ? y : Noise.AddTo(y, x);
    }
}
