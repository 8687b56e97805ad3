using System.Numerics.Tensors;

namespace AsymNet.Tensors.Ops;

public static partial class Ops
{
    /// <summary>Elementwise a · b with broadcasting.</summary>
    public static Tensor Mul(Tensor a, Tensor b)
    {
        var y = Broadcasting.Apply<MultiplySpans>(a, b);
        if (Autograd.NeedsGrad(a, b))
            Autograd.Record(y, [a, b], g =>
            {
                // ∂/∂a = g·b and ∂/∂b = g·a, each broadcast to y's shape and summed back to the operand's shape.
                if (a.RequiresGrad) Broadcasting.AccumulateGrad(a, Broadcasting.Apply<MultiplySpans>(g, b), owned: true);
                if (b.RequiresGrad) Broadcasting.AccumulateGrad(b, Broadcasting.Apply<MultiplySpans>(g, a), owned: true);
            });
        return y;
    }

    /// <summary>x · s.</summary>
    public static Tensor MulScalar(Tensor x, float s)
    {
        var y = Tensor.Empty(x.Shape);
        TensorPrimitives.Multiply(x.Span, s, y.Span);
        if (Autograd.NeedsGrad(x))
            Autograd.Record(y, [x], g =>
            {
                var gx = Tensor.Empty(x.Shape);
                TensorPrimitives.Multiply(g.Span, s, gx.Span);
                Autograd.AccumulateOwned(x, gx);
            });
        return y;
    }
}
