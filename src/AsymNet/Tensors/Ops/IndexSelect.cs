using System.Numerics.Tensors;

namespace AsymNet.Tensors.Ops;

public static partial class Ops
{
    /// <summary>Entries index[i] along dim (PyTorch index_select); used to apply permutations.</summary>
    public static Tensor IndexSelect(Tensor x, int dim, ReadOnlySpan<int> index)
    {
        dim = ShapeUtil.NormalizeDim(dim, x.Rank);
        var l = DimLayout.Of(x.Shape, dim);
        foreach (var k in index)
            if ((uint)k >= (uint)l.Size)
                throw new ArgumentOutOfRangeException(nameof(index), $"IndexSelect: index {k} is outside [0, {l.Size}) for dim {dim} of {ShapeUtil.Format(x.Shape)}.");
        var saved = index.ToArray();
        var y = Tensor.Empty(DimLayout.Resized(x.Shape, dim, saved.Length));
        var k0 = saved.Length;
        for (var o = 0; o < l.Outer; o++)
            for (var j = 0; j < k0; j++)
                x.Span.Slice((o * l.Size + saved[j]) * l.Inner, l.Inner).CopyTo(y.Span.Slice((o * k0 + j) * l.Inner, l.Inner));
        if (Autograd.NeedsGrad(x))
            Autograd.Record(y, [x], g =>
            {
                // Scatter-add: repeated indices collect every copy's gradient.
                var gx = Tensor.Zeros(x.Shape);
                for (var o = 0; o < l.Outer; o++)
                    for (var j = 0; j < k0; j++)
                    {
                        var dst = gx.Span.Slice((o * l.Size + saved[j]) * l.Inner, l.Inner);
                        TensorPrimitives.Add(dst, g.Span.Slice((o * k0 + j) * l.Inner, l.Inner), dst);
                    }
                Autograd.AccumulateOwned(x, gx);
            });
        return y;
    }
}
