using AsymNet.Tensors;
using AsymNet.Tensors.Ops;

namespace AsymNet.NN.Layers;

/// <summary>Layer norm over the last dimension (PyTorch nn.LayerNorm(d)): "weight" = 1, "bias" = 0 initially.</summary>
public sealed class LayerNorm : Module
{
    public LayerNorm(int features, float eps = 1e-5f)
    {
        Features = features;
        Eps = eps;
        Weight = RegisterParameter("weight", Tensor.FromArray(Enumerable.Repeat(1f, features).ToArray(), features));
        Bias = RegisterParameter("bias", Tensor.Persistent(features));
    }

    public int Features { get; }
    public float Eps { get; }
    public Tensor Weight { get; }
    public Tensor Bias { get; }

    public override Tensor Forward(Tensor x) => Ops.LayerNorm(x, Weight, Bias, Eps);
}
