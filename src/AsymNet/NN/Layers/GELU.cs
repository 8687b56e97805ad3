using AsymNet.Tensors;
using AsymNet.Tensors.Ops;

namespace AsymNet.NN.Layers;

/// <summary>GELU, exact erf form (PyTorch's default).</summary>
public sealed class GELU : Module
{
    public override Tensor Forward(Tensor x) => Ops.Gelu(x);
}
