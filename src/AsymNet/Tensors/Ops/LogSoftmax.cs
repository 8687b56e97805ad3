using System.Numerics.Tensors;

namespace AsymNet.Tensors.Ops;

public static partial class Ops
{
    /// <summary>Numerically stable log-softmax along dim.</summary>
    public static Tensor LogSoftmax(Tensor x, int dim)
    {
        var l = DimLayout.Of(x.Shape, ShapeUtil.NormalizeDim(dim, x.Rank));
        var y = Tensor.Empty(x.Shape);
        SoftmaxForward(x.Span, l, y.Span, log: true);
        if (Autograd.NeedsGrad(x))
            Autograd.Record(y, [x], g =>
            {
                var gx = Tensor.Empty(x.Shape);
                LogSoftmaxBackward(y.Span, g.Span, l, gx.Span);
                Autograd.AccumulateOwned(x, gx);
            });
        return y;
    }

    /// <summary>gx = g − exp(y)·Σ_d g along the axis, from y = log-softmax(x).</summary>
    private static void LogSoftmaxBackward(ReadOnlySpan<float> y, ReadOnlySpan<float> g, DimLayout l, Span<float> gx)
    {
        if (l.Size == 0) return;
        if (l.Inner == 1)
        {
            for (var o = 0; o < l.Outer; o++)
            {
                var gRow = g.Slice(o * l.Size, l.Size);
                var sum = TensorPrimitives.Sum(gRow);
                SimdMap.Map(new LogSoftmaxGrad(sum), y.Slice(o * l.Size, l.Size), gRow, gx.Slice(o * l.Size, l.Size));
            }
            return;
        }
        var scratch = TensorPool.Rent(l.Inner);
        var sums = scratch.AsSpan(0, l.Inner);
        for (var o = 0; o < l.Outer; o++)
        {
            var start = o * l.Size * l.Inner;
            sums.Clear();
            for (var d = 0; d < l.Size; d++) TensorPrimitives.Add(sums, g.Slice(start + d * l.Inner, l.Inner), sums);
            for (var d = 0; d < l.Size; d++)
            {
                var at = start + d * l.Inner;
                var gxRow = gx.Slice(at, l.Inner);
                TensorPrimitives.Exp(y.Slice(at, l.Inner), gxRow);
                TensorPrimitives.Multiply(gxRow, sums, gxRow);
                TensorPrimitives.Subtract(g.Slice(at, l.Inner), gxRow, gxRow);
            }
        }
        TensorPool.Return(scratch);
    }

    /// <summary>g − exp(y)·sum.</summary>
    private readonly struct LogSoftmaxGrad(float sum) : IBinaryKernel
    {
        public T Invoke<T>(T y, T g) where T : struct, IFloatVector<T> => g - T.Exp(y) * T.Create(sum);
    }
}
