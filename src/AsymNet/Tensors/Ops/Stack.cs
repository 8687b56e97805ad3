namespace AsymNet.Tensors.Ops;

public static partial class Ops
{
    /// <summary>Stacking along a new dimension (0 ≤ dim ≤ rank; negative counts from rank + 1).</summary>
    public static Tensor Stack(IReadOnlyList<Tensor> xs, int dim)
    {
        if (xs.Count == 0) throw new ArgumentException("Stack needs at least one tensor.");
        var rank = xs[0].Rank;
        dim = ShapeUtil.NormalizeDim(dim, rank + 1);
        var parts = new Tensor[xs.Count];
        for (var i = 0; i < parts.Length; i++)
        {
            if (!ShapeUtil.SameShape(xs[i].Shape, xs[0].Shape))
                throw new ArgumentException($"Stack: shapes {ShapeUtil.Format(xs[0].Shape)} and {ShapeUtil.Format(xs[i].Shape)} differ.");
            // A size-1 axis at dim, then concatenation along it.
            var shape = new int[rank + 1];
            for (int d = 0, s = 0; d <= rank; d++) shape[d] = d == dim ? 1 : xs[i].Shape[s++];
            parts[i] = Reshape(xs[i], shape);
        }
        return Concat(parts, dim);
    }
}
