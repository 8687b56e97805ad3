using AsymNet.Tensors;
using AsymNet.Tensors.Ops;

namespace AsymNet.NN.Layers;

/// <summary>[N, ...] → [N, rest] (a view).</summary>
public sealed class Flatten : Module
{
    public override Tensor Forward(Tensor x) => x.Rank == 2 ? x : Ops.Reshape(x, x.Shape[0], -1);
}
