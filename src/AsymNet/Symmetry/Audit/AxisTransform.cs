using AsymNet.Tensors;

namespace AsymNet.Symmetry.Audit;

/// <summary>In-place permutation and scaling of a tensor's slices along one axis (no autograd).</summary>
public static class AxisTransform
{
    /// <summary>t[..., i, ...] ← t[..., perm[i], ...] along <paramref name="axis"/>.</summary>
    public static void Permute(Tensor t, int axis, ReadOnlySpan<int> perm)
    {
        var (outer, n, inner) = Split(t, axis, perm.Length);
        var src = t.ToArray();
        var dst = t.Span;
        for (var o = 0; o < outer; o++)
            for (var i = 0; i < n; i++)
                src.AsSpan((o * n + perm[i]) * inner, inner).CopyTo(dst.Slice((o * n + i) * inner, inner));
    }

    /// <summary>t[..., i, ...] ×= factors[i] along <paramref name="axis"/>.</summary>
    public static void Scale(Tensor t, int axis, ReadOnlySpan<float> factors)
    {
        var (outer, n, inner) = Split(t, axis, factors.Length);
        var span = t.Span;
        for (var o = 0; o < outer; o++)
            for (var i = 0; i < n; i++)
                foreach (ref var v in span.Slice((o * n + i) * inner, inner)) v *= factors[i];
    }

    private static (int Outer, int N, int Inner) Split(Tensor t, int axis, int expected)
    {
        if (axis < 0 || axis >= t.Rank || t.Shape[axis] != expected)
            throw new ArgumentException($"Axis {axis} of a tensor of shape {ShapeUtil.Format(t.Shape)} does not have {expected} units.");
        var outer = 1;
        for (var i = 0; i < axis; i++) outer *= t.Shape[i];
        var inner = 1;
        for (var i = axis + 1; i < t.Rank; i++) inner *= t.Shape[i];
        return (outer, expected, inner);
    }
}
