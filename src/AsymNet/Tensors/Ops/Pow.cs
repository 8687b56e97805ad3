using System.Numerics.Tensors;

namespace AsymNet.Tensors.Ops;

public static partial class Ops
{
    /// <summary>xᵖ for a scalar exponent.</summary>
    public static Tensor Pow(Tensor x, float p)
    {
        var y = Tensor.Empty(x.Shape);
        if (p == 2f) TensorPrimitives.Multiply(x.Span, x.Span, y.Span);
        else TensorPrimitives.Pow(x.Span, p, y.Span);
        if (Autograd.NeedsGrad(x))
            Autograd.Record(y, [x], g =>
            {
                var gx = Tensor.Empty(x.Shape);
                // p·x^(p−1)·g; PyTorch defines the gradient of x⁰ as 0 everywhere (also at x = 0).
                if (p == 0f) gx.Span.Clear();
                else
                {
                    if (p == 2f) TensorPrimitives.Multiply(x.Span, g.Span, gx.Span);
                    else
                    {
                        TensorPrimitives.Pow(x.Span, p - 1f, gx.Span);
                        TensorPrimitives.Multiply(gx.Span, g.Span, gx.Span);
                    }
                    TensorPrimitives.Multiply(gx.Span, p, gx.Span);
                }
                Autograd.AccumulateOwned(x, gx);
            });
        return y;
    }
}
