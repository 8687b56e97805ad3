namespace AsymNet.Tensors.Ops;

/// <summary>
/// A row-major tensor seen as [Outer, Size, Inner] around one dimension: element (o, d, i) sits at
/// (o·Size + d)·Inner + i. Reductions, softmax, concat and index-select along a dimension all work in this view.
/// </summary>
internal readonly record struct DimLayout(int Outer, int Size, int Inner)
{
    public static DimLayout Of(ReadOnlySpan<int> shape, int dim)
    {
        int outer = 1, inner = 1;
        for (var i = 0; i < dim; i++) outer *= shape[i];
        for (var i = dim + 1; i < shape.Length; i++) inner *= shape[i];
        return new DimLayout(outer, shape[dim], inner);
    }

    /// <summary>The shape after reducing <paramref name="dim"/>: kept as 1 or removed.</summary>
    public static int[] ReducedShape(ReadOnlySpan<int> shape, int dim, bool keepDim)
    {
        var r = new int[keepDim ? shape.Length : shape.Length - 1];
        for (int i = 0, j = 0; i < shape.Length; i++)
        {
            if (i != dim) r[j++] = shape[i];
            else if (keepDim) r[j++] = 1;
        }
        return r;
    }

    /// <summary>The shape with dimension <paramref name="dim"/> set to <paramref name="size"/>.</summary>
    public static int[] Resized(ReadOnlySpan<int> shape, int dim, int size)
    {
        var r = shape.ToArray();
        r[dim] = size;
        return r;
    }
}
