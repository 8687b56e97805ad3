namespace AsymNet.Tensors.Ops;

public static partial class Ops
{
    /// <summary>Concatenation along an existing dimension.</summary>
    public static Tensor Concat(IReadOnlyList<Tensor> xs, int dim)
    {
        if (xs.Count == 0) throw new ArgumentException("Concat needs at least one tensor.");
        var first = xs[0];
        dim = ShapeUtil.NormalizeDim(dim, first.Rank);
        var total = 0;
        foreach (var x in xs)
        {
            if (x.Rank != first.Rank)
                throw new ArgumentException($"Concat: ranks differ ({ShapeUtil.Format(first.Shape)} vs {ShapeUtil.Format(x.Shape)}).");
            for (var d = 0; d < first.Rank; d++)
                if (d != dim && x.Shape[d] != first.Shape[d])
                    throw new ArgumentException($"Concat along {dim}: shapes {ShapeUtil.Format(first.Shape)} and {ShapeUtil.Format(x.Shape)} differ elsewhere.");
            total += x.Shape[dim];
        }
        var y = Tensor.Empty(DimLayout.Resized(first.Shape, dim, total));
        var outer = DimLayout.Of(first.Shape, dim).Outer;
        var yChunk = y.Length / Math.Max(outer, 1);
        var at = 0;
        foreach (var x in xs)
        {
            // Each input contributes one contiguous chunk per outer index.
            var chunk = x.Length / Math.Max(outer, 1);
            for (var o = 0; o < outer; o++) x.Span.Slice(o * chunk, chunk).CopyTo(y.Span.Slice(o * yChunk + at, chunk));
            at += chunk;
        }
        var inputs = new Tensor[xs.Count];
        for (var i = 0; i < inputs.Length; i++) inputs[i] = xs[i];
        if (Autograd.NeedsGrad(inputs))
            Autograd.Record(y, inputs, g =>
            {
                var start = 0;
                foreach (var x in inputs)
                {
                    var chunk = x.Length / Math.Max(outer, 1);
                    if (x.RequiresGrad)
                    {
                        var gx = Tensor.Empty(x.Shape);
                        for (var o = 0; o < outer; o++) g.Span.Slice(o * yChunk + start, chunk).CopyTo(gx.Span.Slice(o * chunk, chunk));
                        Autograd.AccumulateOwned(x, gx);
                    }
                    start += chunk;
                }
            });
        return y;
    }
}
