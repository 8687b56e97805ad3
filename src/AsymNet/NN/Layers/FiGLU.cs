using AsymNet.Tensors;
using AsymNet.Tensors.Ops;

namespace AsymNet.NN.Layers;

/// <summary>How FiGLU's fixed matrix meets the input.</summary>
public enum FiGluLayout
{
    /// <summary>x [N, d]: gate = sigmoid(x·Fᵀ), buffer [d, d] (the authors' σ-MLP, buffer "C").</summary>
    Dense,

    /// <summary>x [N, d]: gate = sigmoid(x·F), buffer [d, d] (the authors' σ-GNN multiplies from the right, buffer "C").</summary>
    DenseRightMultiply,

    /// <summary>x [N, C, H, W]: gate = sigmoid(conv1×1(x, F)), channel mixing at every pixel, buffer [C, C, 1, 1] ("F_mat").</summary>
    Conv1x1,
}

/// <summary>
/// FiGLU (paper Eq. 4; "AsymSwiGLU" in the authors' code): σ(x) = sigmoid(F x) ⊙ x with F fixed, untrained, drawn
/// N(0, std²) from (architecture seed, layer name). It has no permutation or diagonal equivariance (Prop. 2).
/// </summary>
public sealed class FiGLU : Module
{
    public FiGLU(int dim, FiGluLayout layout, double fStd, ulong architectureSeed, string layerName, string bufferName = "C")
    {
        Dim = dim;
        Layout = layout;
        F = RegisterBuffer(bufferName, layout == FiGluLayout.Conv1x1 ? Tensor.Persistent(dim, dim, 1, 1) : Tensor.Persistent(dim, dim));
        Rng.ForKey(architectureSeed, layerName + "/figlu").FillNormal(F.Span, 0f, (float)fStd);
    }

    public int Dim { get; }
    public FiGluLayout Layout { get; }

    /// <summary>The fixed gate matrix (a persistent buffer).</summary>
    public Tensor F { get; }

    public override Tensor Forward(Tensor x)
    {
        var pre = Layout switch
        {
            FiGluLayout.Dense => Ops.Linear(x, F, null),
            FiGluLayout.DenseRightMultiply => Ops.MatMul(x, F),
            _ => Ops.Conv2d(x, F, null),
        };
        return Ops.Mul(Ops.Sigmoid(pre), x);
    }
}
