namespace AsymNet.Tensors.Ops;

public static partial class Ops
{
    /// <summary>
    /// PyTorch gather: out[..i..] = x[..index[..i..]..] along dim; index has the output's shape, the same rank as x,
    /// and no larger size than x in the other dimensions.
    /// </summary>
    public static Tensor Gather(Tensor x, int dim, ReadOnlySpan<int> index, int[] indexShape)
    {
        dim = ShapeUtil.NormalizeDim(dim, x.Rank);
        if (indexShape.Length != x.Rank || ShapeUtil.Numel(indexShape) != index.Length)
            throw new ArgumentException($"Gather: index of shape {ShapeUtil.Format(indexShape)} with {index.Length} entries does not fit {ShapeUtil.Format(x.Shape)}.");
        for (var d = 0; d < x.Rank; d++)
            if (d != dim && indexShape[d] > x.Shape[d])
                throw new ArgumentException($"Gather: index shape {ShapeUtil.Format(indexShape)} exceeds {ShapeUtil.Format(x.Shape)} in dim {d}.");
        var sources = GatherSources(x.Shape, dim, index, indexShape);
        var y = Tensor.Empty(indexShape);
        var xs = x.Span;
        var ys = y.Span;
        for (var j = 0; j < ys.Length; j++) ys[j] = xs[sources[j]];
        if (Autograd.NeedsGrad(x))
            Autograd.Record(y, [x], g =>
            {
                var gx = Tensor.Zeros(x.Shape);
                var gs = g.Span;
                var dst = gx.Span;
                for (var j = 0; j < gs.Length; j++) dst[sources[j]] += gs[j];
                Autograd.AccumulateOwned(x, gx);
            });
        return y;
    }

    /// <summary>For each output element (row-major over indexShape), the flat offset in x it reads.</summary>
    private static int[] GatherSources(int[] xShape, int dim, ReadOnlySpan<int> index, int[] indexShape)
    {
        var xStrides = ShapeUtil.Strides(xShape);
        var counter = new int[indexShape.Length];
        var sources = new int[index.Length];
        var baseOffset = 0;
        for (var j = 0; j < index.Length; j++)
        {
            var k = index[j];
            if ((uint)k >= (uint)xShape[dim])
                throw new ArgumentOutOfRangeException(nameof(index), $"Gather: index {k} is outside [0, {xShape[dim]}) for dim {dim}.");
            sources[j] = baseOffset + k * xStrides[dim];
            // Advance the multi-index; baseOffset covers every dimension except dim.
            for (var d = indexShape.Length - 1; d >= 0; d--)
            {
                if (d != dim) baseOffset += xStrides[d];
                if (++counter[d] < indexShape[d]) break;
                if (d != dim) baseOffset -= xStrides[d] * indexShape[d];
                counter[d] = 0;
            }
        }
        return sources;
    }
}
