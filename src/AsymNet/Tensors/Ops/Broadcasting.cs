using System.Numerics.Tensors;

namespace AsymNet.Tensors.Ops;

/// <summary>
/// NumPy broadcasting for binary elementwise ops, forward (apply an op over broadcast operands) and backward
/// (sum a gradient down to an operand's shape). Fast paths: equal shapes, a one-element operand, and a trailing
/// row (bias-like [N, C] with [C]); everything else takes the general strided walk.
/// </summary>
internal static class Broadcasting
{
    /// <summary>A fresh tensor holding op(a, b) over the broadcast shape.</summary>
    public static Tensor Apply<TOp>(Tensor a, Tensor b) where TOp : IBinarySpanOp
    {
        var y = Tensor.Empty(ShapeUtil.SameShape(a.Shape, b.Shape) ? a.Shape : ShapeUtil.Broadcast(a.Shape, b.Shape));
        Apply<TOp>(a.Span, a.Shape, b.Span, b.Shape, y.Span, y.Shape);
        return y;
    }

    /// <summary>y = op(a, b) where y has the broadcast shape of a and b.</summary>
    public static void Apply<TOp>(ReadOnlySpan<float> a, ReadOnlySpan<int> aShape, ReadOnlySpan<float> b, ReadOnlySpan<int> bShape,
        Span<float> y, ReadOnlySpan<int> yShape) where TOp : IBinarySpanOp
    {
        if (y.Length == 0) return;
        // An operand with as many elements as y is not broadcast at all, so its layout is y's.
        if (a.Length == y.Length && b.Length == y.Length)
        {
            TOp.Apply(a, b, y);
            return;
        }
        if (a.Length == y.Length)
        {
            if (b.Length == 1) { TOp.Apply(a, b[0], y); return; }
            if (IsTrailing(bShape, yShape))
            {
                for (var r = 0; r < y.Length; r += b.Length) TOp.Apply(a.Slice(r, b.Length), b, y.Slice(r, b.Length));
                return;
            }
        }
        else if (b.Length == y.Length)
        {
            if (a.Length == 1) { TOp.Apply(a[0], b, y); return; }
            if (IsTrailing(aShape, yShape))
            {
                for (var r = 0; r < y.Length; r += a.Length) TOp.Apply(a, b.Slice(r, a.Length), y.Slice(r, a.Length));
                return;
            }
        }
        ApplyStrided<TOp>(a, aShape, b, bShape, y, yShape);
    }

    private static void ApplyStrided<TOp>(ReadOnlySpan<float> a, ReadOnlySpan<int> aShape, ReadOnlySpan<float> b, ReadOnlySpan<int> bShape,
        Span<float> y, ReadOnlySpan<int> yShape) where TOp : IBinarySpanOp
    {
        Span<int> sa = stackalloc int[yShape.Length];
        Span<int> sb = stackalloc int[yShape.Length];
        StridedRows.BroadcastStrides(aShape, yShape, sa);
        StridedRows.BroadcastStrides(bShape, yShape, sb);
        var rows = new StridedRows(yShape, sa, sb, stackalloc int[StridedRows.ScratchLength]);
        var n = rows.RowLength;
        // After merging, a broadcast operand has inner stride 0 and a plain one stride 1 (both 1 for a lone element).
        var aRow = rows.InnerStrideA != 0 || n == 1;
        var bRow = rows.InnerStrideB != 0 || n == 1;
        var start = 0;
        while (rows.MoveNext(out var oa, out var ob))
        {
            var yRow = y.Slice(start, n);
            if (aRow && bRow) TOp.Apply(a.Slice(oa, n), b.Slice(ob, n), yRow);
            else if (aRow) TOp.Apply(a.Slice(oa, n), b[ob], yRow);
            else TOp.Apply(a[oa], b.Slice(ob, n), yRow);
            start += n;
        }
    }

    /// <summary>
    /// Passes the gradient <paramref name="g"/> of a broadcast result to <paramref name="input"/>, summed over the
    /// axes along which input was broadcast. <paramref name="owned"/>: g was made for this input alone.
    /// </summary>
    public static void AccumulateGrad(Tensor input, Tensor g, bool owned)
    {
        if (!input.RequiresGrad) return;
        if (input.Length == g.Length)
        {
            // Same elements, the shapes may differ only by leading ones.
            var view = ShapeUtil.SameShape(input.Shape, g.Shape) ? g : new Tensor(g.Storage, g.Offset, input.Shape, g);
            if (owned) Autograd.AccumulateOwned(input, view);
            else Autograd.Accumulate(input, view);
            return;
        }
        var reduced = Tensor.Empty(input.Shape);
        SumTo(g.Span, g.Shape, reduced.Span, input.Shape);
        Autograd.AccumulateOwned(input, reduced);
    }

    /// <summary>r = g summed down to r's shape, which broadcasts to g's shape.</summary>
    public static void SumTo(ReadOnlySpan<float> g, ReadOnlySpan<int> gShape, Span<float> r, ReadOnlySpan<int> rShape)
    {
        if (r.Length == g.Length) { g.CopyTo(r); return; }
        if (g.IsEmpty) { r.Clear(); return; } // broadcast along an empty axis: nothing to sum
        if (r.Length == 1) { r[0] = TensorPrimitives.Sum(g); return; }
        if (IsTrailing(rShape, gShape))
        {
            g[..r.Length].CopyTo(r);
            for (var s = r.Length; s < g.Length; s += r.Length) TensorPrimitives.Add(r, g.Slice(s, r.Length), r);
            return;
        }
        r.Clear();
        Span<int> sr = stackalloc int[gShape.Length];
        Span<int> sg = stackalloc int[gShape.Length];
        StridedRows.BroadcastStrides(rShape, gShape, sr);
        StridedRows.BroadcastStrides(gShape, gShape, sg);
        var rows = new StridedRows(gShape, sr, sg, stackalloc int[StridedRows.ScratchLength]);
        var n = rows.RowLength;
        var rRow = rows.InnerStrideA != 0 || n == 1;
        while (rows.MoveNext(out var or, out var og))
        {
            if (rRow) TensorPrimitives.Add(r.Slice(or, n), g.Slice(og, n), r.Slice(or, n));
            else r[or] += TensorPrimitives.Sum(g.Slice(og, n));
        }
    }

    /// <summary>True when <paramref name="shape"/>, without leading ones, is a suffix of <paramref name="target"/>.</summary>
    private static bool IsTrailing(ReadOnlySpan<int> shape, ReadOnlySpan<int> target)
    {
        var lead = 0;
        while (lead < shape.Length && shape[lead] == 1) lead++;
        var core = shape[lead..];
        return core.Length <= target.Length && core.SequenceEqual(target[(target.Length - core.Length)..]);
    }
}
