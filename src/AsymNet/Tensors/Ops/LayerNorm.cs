namespace AsymNet.Tensors.Ops;

public static partial class Ops
{
    /// <summary>Layer norm over the last dimension (biased variance), optional affine weight/bias of that size.</summary>
    public static Tensor LayerNorm(Tensor x, Tensor? weight, Tensor? bias, float eps = 1e-5f) =>
        throw new NotImplementedException("LayerNorm");
}
