using AsymNet.Tensors;
using AsymNet.Tensors.Ops;

namespace AsymNet.NN.Layers;

/// <summary>max(x, 0). Positively homogeneous, so ReLU networks also have a rescaling symmetry.</summary>
public sealed class ReLU : Module
{
    public override Tensor Forward(Tensor x) => Ops.Relu(x);
}
