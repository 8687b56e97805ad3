namespace AsymNet.Tensors.Ops;

public static partial class Ops
{
    /// <summary>Swaps two dimensions (copies into contiguous storage).</summary>
    public static Tensor Transpose(Tensor x, int dim0, int dim1)
    {
        var dims = new int[x.Rank];
        for (var i = 0; i < dims.Length; i++) dims[i] = i;
        dim0 = ShapeUtil.NormalizeDim(dim0, x.Rank);
        dim1 = ShapeUtil.NormalizeDim(dim1, x.Rank);
        (dims[dim0], dims[dim1]) = (dims[dim1], dims[dim0]);
        return Permute(x, dims);
    }
}
