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

    /// <summary>
    /// Relu(a + b) in one pass (the residual join of a ResNet block), bit for bit the two ops; the backward masks the
    /// incoming gradient in place and hands it on as <see cref="Add"/> does. Inputs of different shapes broadcast through
    /// the separate ops.
    /// </summary>
    public static Tensor AddRelu(Tensor a, Tensor b)
    {
        if (!ShapeUtil.SameShape(a.Shape, b.Shape)) return Relu(Add(a, b));
        var y = Tensor.Empty(a.Shape);
        SimdMap.Map(new AddThenRelu(), a.Span, b.Span, y.Span);
        if (Autograd.NeedsGrad(a, b))
            Autograd.Record(y, [a, b], g =>
            {
                SimdMap.Map(new ReluBackward(), y.Span, g.Span, g.Span);
                Autograd.Accumulate(a, g);
                Autograd.AccumulateOwned(b, g);
            });
        return y;
    }

    private readonly struct AddThenRelu : IBinaryKernel
    {
        public T Invoke<T>(T a, T b) where T : struct, IFloatVector<T> => new ReluForward().Invoke(a + b);
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
