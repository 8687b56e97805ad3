using System.Numerics.Tensors;

namespace AsymNet.Tensors.Ops;

public static partial class Ops
{
    /// <summary>Elementwise a / b with broadcasting.</summary>
    public static Tensor Div(Tensor a, Tensor b)
    {
        var y = Broadcasting.Apply<DivideSpans>(a, b);
        if (Autograd.NeedsGrad(a, b))
            Autograd.Record(y, [a, b], g =>
            {
                // ∂/∂a = g/b; ∂/∂b = −g·a/b² = −(g/b)·y.
                var gOverB = Broadcasting.Apply<DivideSpans>(g, b);
                if (b.RequiresGrad)
                {
                    var gb = Tensor.Empty(y.Shape);
                    TensorPrimitives.Multiply(gOverB.Span, y.Span, gb.Span);
                    TensorPrimitives.Negate(gb.Span, gb.Span);
                    Broadcasting.AccumulateGrad(b, gb, owned: true);
                }
                Broadcasting.AccumulateGrad(a, gOverB, owned: true);
            });
        return y;
    }
}
