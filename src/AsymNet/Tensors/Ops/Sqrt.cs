using System.Numerics.Tensors;

namespace AsymNet.Tensors.Ops;

public static partial class Ops
{
    /// <summary>√x.</summary>
    public static Tensor Sqrt(Tensor x)
    {
        var y = Tensor.Empty(x.Shape);
        TensorPrimitives.Sqrt(x.Span, y.Span);
        if (Autograd.NeedsGrad(x))
            Autograd.Record(y, [x], g =>
            {
                var gx = Tensor.Empty(x.Shape);
                SimdMap.Map(new SqrtBackward(), y.Span, g.Span, gx.Span);
                Autograd.AccumulateOwned(x, gx);
            });
        return y;
    }

    /// <summary>g / (2√x), from y = √x.</summary>
    private readonly struct SqrtBackward : IBinaryKernel
    {
        public T Invoke<T>(T y, T g) where T : struct, IFloatVector<T> => T.Create(0.5f) * g / y;
    }
}
