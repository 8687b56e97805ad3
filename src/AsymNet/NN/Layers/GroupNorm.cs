using AsymNet.Tensors;
using AsymNet.Tensors.Ops;

namespace AsymNet.NN.Layers;

/// <summary>Group norm (PyTorch nn.GroupNorm(groups, C)) with per-channel affine "weight" = 1, "bias" = 0.
/// GroupNorm(1, C) is what the paper calls LayerNorm in its ResNets.</summary>
public sealed class GroupNorm : Module
{
    public GroupNorm(int groups, int channels, float eps = 1e-5f)
    {
        if (groups <= 0 || channels % groups != 0)
            throw new ArgumentException($"GroupNorm needs channels ({channels}) divisible by groups ({groups}).");
        Groups = groups;
        Channels = channels;
        Eps = eps;
        Weight = RegisterParameter("weight", Tensor.FromArray(Enumerable.Repeat(1f, channels).ToArray(), channels));
        Bias = RegisterParameter("bias", Tensor.Persistent(channels));
    }

    public int Groups { get; }
    public int Channels { get; }
    public float Eps { get; }
    public Tensor Weight { get; }
    public Tensor Bias { get; }

    public override Tensor Forward(Tensor x) => Ops.GroupNorm(x, Groups, Weight, Bias, Eps);

    /// <summary>Relu(Forward(x)) in the norm's own passes (<see cref="Ops.GroupNormRelu"/>).</summary>
    public Tensor ForwardRelu(Tensor x) => Ops.GroupNormRelu(x, Groups, Weight, Bias, Eps);

    /// <summary>Relu(Forward(x) + residual) in the norm's own passes (<see cref="Ops.GroupNormAddRelu"/>).</summary>
    public Tensor ForwardAddRelu(Tensor x, Tensor residual) => Ops.GroupNormAddRelu(x, Groups, Weight, Bias, residual, Eps);
}
