using System.Numerics.Tensors;

namespace AsymNet.Tensors.Ops;

public static partial class Ops
{
    /// <summary>Elementwise a + b with NumPy broadcasting.</summary>
    public static Tensor Add(Tensor a, Tensor b)
    {
        var y = Broadcasting.Apply<AddSpans>(a, b);
        if (Autograd.NeedsGrad(a, b))
            Autograd.Record(y, [a, b], g =>
            {
                // a gets a copy (or a sum); b may then take g itself, which the backward pass hands over.
                Broadcasting.AccumulateGrad(a, g, owned: false);
                Broadcasting.AccumulateGrad(b, g, owned: true);
            });
        return y;
    }

    /// <summary>x + s.</summary>
    public static Tensor AddScalar(Tensor x, float s)
    {
        var y = Tensor.Empty(x.Shape);
        TensorPrimitives.Add(x.Span, s, y.Span);
        if (Autograd.NeedsGrad(x))
            Autograd.Record(y, [x], g => Autograd.Accumulate(x, g));
        return y;
    }
}
