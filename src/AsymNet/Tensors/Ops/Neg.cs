using System.Numerics.Tensors;

namespace AsymNet.Tensors.Ops;

public static partial class Ops
{
    /// <summary>−x.</summary>
    public static Tensor Neg(Tensor x)
    {
        var y = Tensor.Empty(x.Shape);
        TensorPrimitives.Negate(x.Span, y.Span);
        if (Autograd.NeedsGrad(x))
            Autograd.Record(y, [x], g =>
            {
                var gx = Tensor.Empty(x.Shape);
                TensorPrimitives.Negate(g.Span, gx.Span);
                Autograd.AccumulateOwned(x, gx);
            });
        return y;
    }
}
