using System.Numerics.Tensors;

namespace AsymNet.Tensors.Ops;

public static partial class Ops
{
    /// <summary>Elementwise a − b with broadcasting.</summary>
    public static Tensor Sub(Tensor a, Tensor b)
    {
        var y = Broadcasting.Apply<SubtractSpans>(a, b);
        if (Autograd.NeedsGrad(a, b))
            Autograd.Record(y, [a, b], g =>
            {
                Broadcasting.AccumulateGrad(a, g, owned: false);
                if (!b.RequiresGrad) return;
                var minusG = Tensor.Empty(g.Shape);
                TensorPrimitives.Negate(g.Span, minusG.Span);
                Broadcasting.AccumulateGrad(b, minusG, owned: true);
            });
        return y;
    }
}
