namespace AsymNet.Tensors.Ops;

public static partial class Ops
{
    /// <summary>max(x, 0); gradient 0 at 0 (PyTorch).</summary>
    public static Tensor Relu(Tensor x)
    {
        var y = Tensor.Empty(x.Shape);
        SimdMap.Map(new ReluForward(), x.Span, y.Span);
        if (Autograd.NeedsGrad(x))
            Autograd.Record(y, [x], g =>
            {
                // In place: the incoming gradient is this function's to overwrite and hand on.
                SimdMap.Map(new ReluBackward(), y.Span, g.Span, g.Span);
                Autograd.AccumulateOwned(x, g);
            });
        return y;
    }

    /// <summary>0 where x &lt; 0, else x (NaN stays NaN, like PyTorch).</summary>
    internal readonly struct ReluForward : IUnaryKernel
    {
        public T Invoke<T>(T x) where T : struct, IFloatVector<T> => T.Select(T.GreaterThan(T.Create(0f), x), T.Create(0f), x);
    }

    /// <summary>ReLU of another kernel's result in the same pass (a norm's affine step fused with the activation).</summary>
    internal readonly struct Rectified<TKernel>(TKernel inner) : IUnaryKernel where TKernel : struct, IUnaryKernel
    {
        public T Invoke<T>(T x) where T : struct, IFloatVector<T> => new ReluForward().Invoke(inner.Invoke(x));
    }

    /// <summary>g where y = relu(x) &gt; 0, else 0.</summary>
    internal readonly struct ReluBackward : IBinaryKernel
    {
        public T Invoke<T>(T y, T g) where T : struct, IFloatVector<T> =>
            T.Select(T.GreaterThan(y, T.Create(0f)), g, T.Create(0f));
    }
}
