using System.Numerics.Tensors;

namespace AsymNet.Tensors.Ops;

public static partial class Ops
{
    /// <summary>Natural logarithm.</summary>
    public static Tensor Log(Tensor x)
    {
        var y = Tensor.Empty(x.Shape);
        TensorPrimitives.Log(x.Span, y.Span);
        if (Autograd.NeedsGrad(x))
            Autograd.Record(y, [x], g =>
            {
                var gx = Tensor.Empty(x.Shape);
                TensorPrimitives.Divide(g.Span, x.Span, gx.Span);
                Autograd.AccumulateOwned(x, gx);
            });
        return y;
    }
}
