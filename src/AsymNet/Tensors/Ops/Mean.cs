namespace AsymNet.Tensors.Ops;

public static partial class Ops
{
    /// <summary>Mean of all elements, shape [].</summary>
    public static Tensor Mean(Tensor x) => ScaledTotal(x, 1f / x.Length);

    /// <summary>Mean along one dimension.</summary>
    public static Tensor Mean(Tensor x, int dim, bool keepDim = false) =>
        ScaledSumAlong(x, dim, keepDim, 1f / x.Size(dim));
}
