using AsymNet.Tensors;
using AsymNet.Tensors.Ops;

namespace AsymNet.NN.Layers;

/// <summary>[N, C, H, W] → [N, C], the mean over each feature map (the ResNets' avg_pool2d over the full map + view).</summary>
public sealed class GlobalAvgPool2d : Module
{
    public override Tensor Forward(Tensor x) => Ops.GlobalAvgPool2d(x);
}
