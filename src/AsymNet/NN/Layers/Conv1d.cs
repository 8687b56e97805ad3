using AsymNet.Tensors;
using AsymNet.Tensors.Ops;

namespace AsymNet.NN.Layers;

/// <summary>1-D convolution (PyTorch nn.Conv1d): "weight" [Cout, Cin, k] and "bias" [Cout], PyTorch's default
/// initialisation (U(±1/√fan_in) for both).</summary>
public sealed class Conv1d : Module
{
    public Conv1d(int inChannels, int outChannels, int kernelSize, Rng rng, int stride = 1, int padding = 0, bool bias = true)
    {
        Stride = stride;
        Padding = padding;
        Weight = RegisterParameter("weight", Tensor.Persistent(outChannels, inChannels, kernelSize));
        Init.KaimingUniformDefault(Weight, rng);
        if (bias)
        {
            Bias = RegisterParameter("bias", Tensor.Persistent(outChannels));
            Init.UniformFanIn(Bias, inChannels * kernelSize, rng);
        }
    }

    public int Stride { get; }
    public int Padding { get; }
    public Tensor Weight { get; }
    public Tensor? Bias { get; }

    public override Tensor Forward(Tensor x) => Ops.Conv1d(x, Weight, Bias, Stride, Padding);
}
