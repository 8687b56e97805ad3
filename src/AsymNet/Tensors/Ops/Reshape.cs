namespace AsymNet.Tensors.Ops;

public static partial class Ops
{
    /// <summary>A view with a new shape over the same elements; one dimension may be -1 (inferred).</summary>
    public static Tensor Reshape(Tensor x, params int[] shape)
    {
        var resolved = ResolveShape(x, shape);
        var y = new Tensor(x.Storage, x.Offset, resolved, x);
        if (Autograd.NeedsGrad(x))
            Autograd.Record(y, [x], g => Autograd.Accumulate(x, new Tensor(g.Storage, g.Offset, x.Shape, g)));
        return y;
    }

    private static int[] ResolveShape(Tensor x, int[] shape)
    {
        var resolved = (int[])shape.Clone();
        var infer = Array.IndexOf(resolved, -1);
        if (infer >= 0)
        {
            var known = 1;
            for (var i = 0; i < resolved.Length; i++) if (i != infer) known *= resolved[i];
            if (known == 0 || x.Length % known != 0)
                throw new ArgumentException($"Cannot reshape {ShapeUtil.Format(x.Shape)} to {ShapeUtil.Format(shape)}.");
            resolved[infer] = x.Length / known;
        }
        if (ShapeUtil.Numel(resolved) != x.Length)
            throw new ArgumentException($"Cannot reshape {ShapeUtil.Format(x.Shape)} ({x.Length} elements) to {ShapeUtil.Format(shape)}.");
        return resolved;
    }
}
