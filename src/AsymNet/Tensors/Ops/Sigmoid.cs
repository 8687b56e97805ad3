using System.Numerics.Tensors;

namespace AsymNet.Tensors.Ops;

public static partial class Ops
{
    /// <summary>1/(1+e⁻ˣ).</summary>
    public static Tensor Sigmoid(Tensor x)
    {
        var y = Tensor.Empty(x.Shape);
        // TensorPrimitives.Sigmoid (unlike its siblings) rejects empty spans.
        if (x.Length > 0) TensorPrimitives.Sigmoid(x.Span, y.Span);
        if (Autograd.NeedsGrad(x))
            Autograd.Record(y, [x], g =>
            {
                var gx = Tensor.Empty(x.Shape);
                SimdMap.Map(new SigmoidBackward(), y.Span, g.Span, gx.Span);
                Autograd.AccumulateOwned(x, gx);
            });
        return y;
    }

    /// <summary>g·y·(1 − y) from y = σ(x).</summary>
    private readonly struct SigmoidBackward : IBinaryKernel
    {
        public T Invoke<T>(T y, T g) where T : struct, IFloatVector<T> => g * y * (T.Create(1f) - y);
    }
}
