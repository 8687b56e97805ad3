namespace AsymNet.Tensors.Ops;

public static partial class Ops
{
    /// <summary>GELU, exact erf form: x·Φ(x) (PyTorch's default).</summary>
    public static Tensor Gelu(Tensor x)
    {
        var y = Tensor.Empty(x.Shape);
        SimdMap.Map(new GeluForward(), x.Span, y.Span);
        if (Autograd.NeedsGrad(x))
            Autograd.Record(y, [x], g =>
            {
                var gx = Tensor.Empty(x.Shape);
                SimdMap.Map(new GeluBackward(), x.Span, g.Span, gx.Span);
                Autograd.AccumulateOwned(x, gx);
            });
        return y;
    }

    private readonly struct GeluForward : IUnaryKernel
    {
        public T Invoke<T>(T x) where T : struct, IFloatVector<T> => x * NormalDistribution.Cdf(x);
    }

    /// <summary>g·(Φ(x) + x·φ(x)).</summary>
    private readonly struct GeluBackward : IBinaryKernel
    {
        public T Invoke<T>(T x, T g) where T : struct, IFloatVector<T>
        {
            var cdf = NormalDistribution.CdfAndPdf(x, out var pdf);
            return g * T.MultiplyAdd(x, pdf, cdf);
        }
    }
}
