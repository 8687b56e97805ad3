using System.Numerics.Tensors;

namespace AsymNet.Tensors.Ops;

public static partial class Ops
{
    /// <summary>eˣ.</summary>
    public static Tensor Exp(Tensor x)
    {
        var y = Tensor.Empty(x.Shape);
        TensorPrimitives.Exp(x.Span, y.Span);
        if (Autograd.NeedsGrad(x))
            Autograd.Record(y, [x], g =>
            {
                var gx = Tensor.Empty(x.Shape);
                TensorPrimitives.Multiply(g.Span, y.Span, gx.Span);
                Autograd.AccumulateOwned(x, gx);
            });
        return y;
    }
}
