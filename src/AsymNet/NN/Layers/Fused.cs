using AsymNet.Tensors;
using AsymNet.Tensors.Ops;

namespace AsymNet.NN.Layers;

/// <summary>
/// Layers that run as one op when their kinds allow: the ResNet's group norm → ReLU, group norm → residual add → ReLU
/// and add → ReLU, bit for bit what the layers compute one after the other, with passes over the activations fewer in
/// each direction. Any other combination (FiGLU, batch norm, GELU, ...) runs layer by layer.
/// </summary>
internal static class Fused
{
    /// <summary>activation(norm(x)).</summary>
    public static Tensor NormActivation(Module norm, Module activation, Tensor x) =>
        norm is GroupNorm groupNorm && activation is ReLU ? groupNorm.ForwardRelu(x) : activation.Forward(norm.Forward(x));

    /// <summary>activation(norm(x) + residual).</summary>
    public static Tensor NormAddActivation(Module norm, Tensor x, Tensor residual, Module activation) =>
        norm is GroupNorm groupNorm && activation is ReLU && ShapeUtil.SameShape(x.Shape, residual.Shape)
            ? groupNorm.ForwardAddRelu(x, residual)
            : AddActivation(norm.Forward(x), residual, activation);

    /// <summary>activation(a + b).</summary>
    public static Tensor AddActivation(Tensor a, Tensor b, Module activation) =>
        activation is ReLU ? Ops.AddRelu(a, b) : activation.Forward(Ops.Add(a, b));
}
