using AsymNet.Tensors;
using AsymNet.Tensors.Ops;

namespace AsymNet.NN.Layers;

/// <summary>Max pooling over kernel×kernel windows, no padding.</summary>
public sealed class MaxPool2d(int kernel, int? stride = null) : Module
{
    public int Kernel { get; } = kernel;
    public int Stride { get; } = stride ?? kernel;

    public override Tensor Forward(Tensor x) => Ops.MaxPool2d(x, Kernel, Stride);
}
