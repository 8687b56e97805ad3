using System.Numerics.Tensors;

namespace AsymNet.Tensors.Ops;

public static partial class Ops
{
    /// <summary>tanh x.</summary>
    public static Tensor Tanh(Tensor x)
    {
        var y = Tensor.Empty(x.Shape);
        TensorPrimitives.Tanh(x.Span, y.Span);
        if (Autograd.NeedsGrad(x))
            Autograd.Record(y, [x], g =>
            {
                var gx = Tensor.Empty(x.Shape);
                SimdMap.Map(new TanhBackward(), y.Span, g.Span, gx.Span);
                Autograd.AccumulateOwned(x, gx);
            });
        return y;
    }

    /// <summary>g·(1 − y²) from y = tanh x.</summary>
    private readonly struct TanhBackward : IBinaryKernel
    {
        public T Invoke<T>(T y, T g) where T : struct, IFloatVector<T> => g * (T.Create(1f) - y * y);
    }
}
