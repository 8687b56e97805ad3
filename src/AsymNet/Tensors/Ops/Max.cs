using System.Buffers;
using System.Numerics.Tensors;

namespace AsymNet.Tensors.Ops;

public static partial class Ops
{
    /// <summary>Maximum along one dimension; the gradient goes to the first maximal element (NaN counts as maximal).</summary>
    public static Tensor Max(Tensor x, int dim, bool keepDim = false)
    {
        dim = ShapeUtil.NormalizeDim(dim, x.Rank);
        var l = DimLayout.Of(x.Shape, dim);
        if (l.Size == 0) throw new ArgumentException($"Max along an empty dimension {dim} of {ShapeUtil.Format(x.Shape)}.");
        var y = Tensor.Empty(DimLayout.ReducedShape(x.Shape, dim, keepDim));
        var argMax = ArrayPool<int>.Shared.Rent(y.Length);
        ArgMaxAlong(x.Span, l, y.Span, argMax);
        if (!Autograd.NeedsGrad(x))
        {
            ArrayPool<int>.Shared.Return(argMax);
            return y;
        }
        Autograd.Record(y, [x], g =>
        {
            var gx = Tensor.Zeros(x.Shape);
            var gs = g.Span;
            var dst = gx.Span;
            for (var o = 0; o < l.Outer; o++)
                for (var i = 0; i < l.Inner; i++)
                {
                    var j = o * l.Inner + i;
                    dst[(o * l.Size + argMax[j]) * l.Inner + i] = gs[j];
                }
            ArrayPool<int>.Shared.Return(argMax);
            Autograd.AccumulateOwned(x, gx);
        });
        return y;
    }

    /// <summary>y[o, i] = max_d x[o, d, i] and its first index d.</summary>
    private static void ArgMaxAlong(ReadOnlySpan<float> x, DimLayout l, Span<float> y, Span<int> argMax)
    {
        for (var o = 0; o < l.Outer; o++)
        {
            var block = x.Slice(o * l.Size * l.Inner, l.Size * l.Inner);
            if (l.Inner == 1)
            {
                var k = TensorPrimitives.IndexOfMax(block);
                argMax[o] = k;
                y[o] = block[k];
                continue;
            }
            var best = y.Slice(o * l.Inner, l.Inner);
            var index = argMax.Slice(o * l.Inner, l.Inner);
            block[..l.Inner].CopyTo(best);
            index.Clear();
            for (var d = 1; d < l.Size; d++)
            {
                var row = block.Slice(d * l.Inner, l.Inner);
                for (var i = 0; i < row.Length; i++)
                {
                    var v = row[i];
                    if (v > best[i] || (float.IsNaN(v) && !float.IsNaN(best[i])))
                    {
                        best[i] = v;
                        index[i] = d;
                    }
                }
            }
        }
    }
}
