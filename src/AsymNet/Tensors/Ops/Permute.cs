namespace AsymNet.Tensors.Ops;

public static partial class Ops
{
    /// <summary>Reorders dimensions: output dim i is input dim dims[i] (copies into contiguous storage).</summary>
    public static Tensor Permute(Tensor x, params int[] dims)
    {
        if (dims.Length != x.Rank) throw new ArgumentException($"Permute of {ShapeUtil.Format(x.Shape)} needs {x.Rank} dims, got {dims.Length}.");
        var perm = new int[dims.Length];
        var inverse = new int[dims.Length];
        inverse.AsSpan().Fill(-1);
        for (var i = 0; i < dims.Length; i++)
        {
            var d = ShapeUtil.NormalizeDim(dims[i], x.Rank);
            if (inverse[d] >= 0) throw new ArgumentException($"Permute: dims {ShapeUtil.Format(dims)} repeat dimension {d}.");
            perm[i] = d;
            inverse[d] = i;
        }
        var y = Tensor.Empty(PermutedShape(x.Shape, perm));
        PermuteInto(x.Span, x.Shape, perm, y.Span);
        if (Autograd.NeedsGrad(x))
            Autograd.Record(y, [x], g =>
            {
                var gx = Tensor.Empty(x.Shape);
                PermuteInto(g.Span, y.Shape, inverse, gx.Span);
                Autograd.AccumulateOwned(x, gx);
            });
        return y;
    }

    private static int[] PermutedShape(int[] shape, int[] perm)
    {
        var r = new int[perm.Length];
        for (var i = 0; i < perm.Length; i++) r[i] = shape[perm[i]];
        return r;
    }

    /// <summary>y = x with its axes reordered by perm, walking y row by row with merged runs.</summary>
    private static void PermuteInto(ReadOnlySpan<float> x, int[] xShape, int[] perm, Span<float> y)
    {
        var rank = xShape.Length;
        var xStrides = ShapeUtil.Strides(xShape);
        Span<int> yShape = stackalloc int[rank];
        Span<int> readStrides = stackalloc int[rank];
        Span<int> yStrides = stackalloc int[rank];
        for (var i = 0; i < rank; i++)
        {
            yShape[i] = xShape[perm[i]];
            readStrides[i] = xStrides[perm[i]];
        }
        StridedRows.BroadcastStrides(yShape, yShape, yStrides);
        var rows = new StridedRows(yShape, readStrides, yStrides, stackalloc int[StridedRows.ScratchLength]);
        var n = rows.RowLength;
        var stride = rows.InnerStrideA;
        while (rows.MoveNext(out var src, out var dst))
        {
            var yRow = y.Slice(dst, n);
            if (stride == 1) x.Slice(src, n).CopyTo(yRow);
            else
                for (var i = 0; i < n; i++) yRow[i] = x[src + i * stride];
        }
    }
}
