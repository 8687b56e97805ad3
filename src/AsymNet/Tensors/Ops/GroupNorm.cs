namespace AsymNet.Tensors.Ops;

public static partial class Ops
{
    /// <summary>Group norm of [N, C, ...] with C divisible by groups; optional per-channel affine.</summary>
    public static Tensor GroupNorm(Tensor x, int groups, Tensor? weight, Tensor? bias, float eps = 1e-5f) =>
        throw new NotImplementedException("GroupNorm");
}
