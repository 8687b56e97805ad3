using System.Numerics.Tensors;

namespace AsymNet.Tensors.Ops;

public static partial class Ops
{
    /// <summary>Sum of all elements, shape [].</summary>
    public static Tensor Sum(Tensor x) => ScaledTotal(x, 1f);

    /// <summary>Sum along one dimension.</summary>
    public static Tensor Sum(Tensor x, int dim, bool keepDim = false) => ScaledSumAlong(x, dim, keepDim, 1f);

    /// <summary>scale · Σ x as a [] tensor; Sum and Mean.</summary>
    private static Tensor ScaledTotal(Tensor x, float scale)
    {
        var y = Tensor.Empty();
        y.Span[0] = TensorPrimitives.Sum(x.Span) * scale;
        if (Autograd.NeedsGrad(x))
            Autograd.Record(y, [x], g =>
            {
                var gx = Tensor.Empty(x.Shape);
                gx.Span.Fill(g.Span[0] * scale);
                Autograd.AccumulateOwned(x, gx);
            });
        return y;
    }

    /// <summary>scale · Σ along dim; Sum and Mean.</summary>
    private static Tensor ScaledSumAlong(Tensor x, int dim, bool keepDim, float scale)
    {
        dim = ShapeUtil.NormalizeDim(dim, x.Rank);
        var layout = DimLayout.Of(x.Shape, dim);
        var y = Tensor.Empty(DimLayout.ReducedShape(x.Shape, dim, keepDim));
        SumAlong(x.Span, layout, scale, y.Span);
        if (Autograd.NeedsGrad(x))
            Autograd.Record(y, [x], g =>
            {
                var gx = Tensor.Empty(x.Shape);
                SpreadAlong(g.Span, layout, scale, gx.Span);
                Autograd.AccumulateOwned(x, gx);
            });
        return y;
    }

    /// <summary>y[o, i] = scale · Σ_d x[o, d, i].</summary>
    private static void SumAlong(ReadOnlySpan<float> x, DimLayout l, float scale, Span<float> y)
    {
        for (var o = 0; o < l.Outer; o++)
        {
            var block = x.Slice(o * l.Size * l.Inner, l.Size * l.Inner);
            if (l.Inner == 1)
            {
                y[o] = TensorPrimitives.Sum(block) * scale;
                continue;
            }
            var dst = y.Slice(o * l.Inner, l.Inner);
            // An empty axis sums to 0 and, with scale 1/0, averages to NaN as on the Inner = 1 path and in PyTorch.
            if (l.Size == 0) dst.Clear();
            else block[..l.Inner].CopyTo(dst);
            for (var d = 1; d < l.Size; d++) TensorPrimitives.Add(dst, block.Slice(d * l.Inner, l.Inner), dst);
            if (scale != 1f) TensorPrimitives.Multiply(dst, scale, dst);
        }
    }

    /// <summary>gx[o, d, i] = scale · g[o, i]: the gradient of <see cref="SumAlong"/>.</summary>
    private static void SpreadAlong(ReadOnlySpan<float> g, DimLayout l, float scale, Span<float> gx)
    {
        for (var o = 0; o < l.Outer; o++)
        {
            var block = gx.Slice(o * l.Size * l.Inner, l.Size * l.Inner);
            if (l.Inner == 1)
            {
                block.Fill(g[o] * scale);
                continue;
            }
            var src = g.Slice(o * l.Inner, l.Inner);
            for (var d = 0; d < l.Size; d++) TensorPrimitives.Multiply(src, scale, block.Slice(d * l.Inner, l.Inner));
        }
    }
}
