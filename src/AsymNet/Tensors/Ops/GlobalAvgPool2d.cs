namespace AsymNet.Tensors.Ops;

public static partial class Ops
{
    /// <summary>Mean over H and W: [N, C, H, W] → [N, C].</summary>
    public static Tensor GlobalAvgPool2d(Tensor x) =>
        throw new NotImplementedException("GlobalAvgPool2d");
}
