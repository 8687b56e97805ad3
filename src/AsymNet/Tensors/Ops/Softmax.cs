using System.Numerics.Tensors;

namespace AsymNet.Tensors.Ops;

public static partial class Ops
{
    /// <summary>Numerically stable softmax along dim (max subtracted).</summary>
    public static Tensor Softmax(Tensor x, int dim)
    {
        var l = DimLayout.Of(x.Shape, ShapeUtil.NormalizeDim(dim, x.Rank));
        var y = Tensor.Empty(x.Shape);
        SoftmaxForward(x.Span, l, y.Span, log: false);
        if (Autograd.NeedsGrad(x))
            Autograd.Record(y, [x], g =>
            {
                var gx = Tensor.Empty(x.Shape);
                SoftmaxBackward(y.Span, g.Span, l, gx.Span);
                Autograd.AccumulateOwned(x, gx);
            });
        return y;
    }

    /// <summary>
    /// Softmax (or, with <paramref name="log"/>, log-softmax) of x along the layout's middle axis, computed as
    /// exp(x − m)/Σ exp(x − m) with m the maximum, so ±1000 stays finite; log-softmax is (x − m) − log Σ, subtracting
    /// in that order like PyTorch so that large x keep their precision. Contiguous rows (Inner = 1) use fused
    /// kernels; other axes work on whole inner slices with vectorized span ops.
    /// </summary>
    internal static void SoftmaxForward(ReadOnlySpan<float> x, DimLayout l, Span<float> y, bool log)
    {
        if (l.Size == 0) return;
        if (l.Inner == 1)
        {
            for (var o = 0; o < l.Outer; o++)
            {
                var row = x.Slice(o * l.Size, l.Size);
                var yRow = y.Slice(o * l.Size, l.Size);
                var m = TensorPrimitives.Max(row);
                var s = SimdMap.MapSum(new ExpShifted(m), row, yRow);
                if (log) SimdMap.Map(new SubtractTwice(m, MathF.Log(s)), row, yRow);
                else TensorPrimitives.Multiply(yRow, 1f / s, yRow);
            }
            return;
        }
        var scratch = TensorPool.Rent(2 * l.Inner);
        var max = scratch.AsSpan(0, l.Inner);
        var sum = scratch.AsSpan(l.Inner, l.Inner);
        for (var o = 0; o < l.Outer; o++)
        {
            var xb = x.Slice(o * l.Size * l.Inner, l.Size * l.Inner);
            var yb = y.Slice(o * l.Size * l.Inner, l.Size * l.Inner);
            xb[..l.Inner].CopyTo(max);
            for (var d = 1; d < l.Size; d++) TensorPrimitives.Max(max, xb.Slice(d * l.Inner, l.Inner), max);
            sum.Clear();
            for (var d = 0; d < l.Size; d++)
            {
                var yRow = yb.Slice(d * l.Inner, l.Inner);
                TensorPrimitives.Subtract(xb.Slice(d * l.Inner, l.Inner), max, yRow);
                TensorPrimitives.Exp(yRow, yRow);
                TensorPrimitives.Add(sum, yRow, sum);
            }
            if (log)
            {
                TensorPrimitives.Log(sum, sum);
                for (var d = 0; d < l.Size; d++)
                {
                    var yRow = yb.Slice(d * l.Inner, l.Inner);
                    TensorPrimitives.Subtract(xb.Slice(d * l.Inner, l.Inner), max, yRow);
                    TensorPrimitives.Subtract(yRow, sum, yRow);
                }
            }
            else
            {
                for (var d = 0; d < l.Size; d++)
                    TensorPrimitives.Divide(yb.Slice(d * l.Inner, l.Inner), sum, yb.Slice(d * l.Inner, l.Inner));
            }
        }
        TensorPool.Return(scratch);
    }

    /// <summary>gx = y ⊙ (g − Σ_d g·y) along the axis.</summary>
    private static void SoftmaxBackward(ReadOnlySpan<float> y, ReadOnlySpan<float> g, DimLayout l, Span<float> gx)
    {
        if (l.Size == 0) return;
        if (l.Inner == 1)
        {
            for (var o = 0; o < l.Outer; o++)
            {
                var yRow = y.Slice(o * l.Size, l.Size);
                var gRow = g.Slice(o * l.Size, l.Size);
                var dot = TensorPrimitives.Dot(gRow, yRow);
                SimdMap.Map(new SoftmaxGrad(dot), yRow, gRow, gx.Slice(o * l.Size, l.Size));
            }
            return;
        }
        var scratch = TensorPool.Rent(l.Inner);
        var dots = scratch.AsSpan(0, l.Inner);
        for (var o = 0; o < l.Outer; o++)
        {
            var start = o * l.Size * l.Inner;
            dots.Clear();
            for (var d = 0; d < l.Size; d++)
            {
                var at = start + d * l.Inner;
                TensorPrimitives.MultiplyAdd(g.Slice(at, l.Inner), y.Slice(at, l.Inner), dots, dots);
            }
            for (var d = 0; d < l.Size; d++)
            {
                var at = start + d * l.Inner;
                var gxRow = gx.Slice(at, l.Inner);
                TensorPrimitives.Subtract(g.Slice(at, l.Inner), dots, gxRow);
                TensorPrimitives.Multiply(gxRow, y.Slice(at, l.Inner), gxRow);
            }
        }
        TensorPool.Return(scratch);
    }

    /// <summary>exp(x − m).</summary>
    private readonly struct ExpShifted(float m) : IUnaryKernel
    {
        public T Invoke<T>(T x) where T : struct, IFloatVector<T> => T.Exp(x - T.Create(m));
    }

    /// <summary>(x − m) − logSum.</summary>
    private readonly struct SubtractTwice(float m, float logSum) : IUnaryKernel
    {
        public T Invoke<T>(T x) where T : struct, IFloatVector<T> => x - T.Create(m) - T.Create(logSum);
    }

    /// <summary>y·(g − dot).</summary>
    private readonly struct SoftmaxGrad(float dot) : IBinaryKernel
    {
        public T Invoke<T>(T y, T g) where T : struct, IFloatVector<T> => y * (g - T.Create(dot));
    }
}
