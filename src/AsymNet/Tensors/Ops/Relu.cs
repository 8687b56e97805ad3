using System.Numerics.Tensors;

namespace AsymNet.Tensors.Ops;

public static partial class Ops
{
    /// <summary>max(x, 0); gradient 0 at 0 (PyTorch).</summary>
    public static Tensor Relu(Tensor x)
    {
        var y = Tensor.Empty(x.Shape);
        TensorPrimitives.Max(x.Span, 0f, y.Span);
        if (Autograd.NeedsGrad(x))
            Autograd.Record(y, [x], g =>
            {
                var gx = Tensor.Empty(x.Shape);
                SimdMap.Map(new ReluBackward(), y.Span, g.Span, gx.Span);
                Autograd.AccumulateOwned(x, gx);
            });
        return y;
    }

    /// <summary>g where y = relu(x) &gt; 0, else 0.</summary>
    private readonly struct ReluBackward : IBinaryKernel
    {
        public T Invoke<T>(T y, T g) where T : struct, IFloatVector<T> =>
            T.Select(T.GreaterThan(y, T.Create(0f)), g, T.Create(0f));
    }
}
