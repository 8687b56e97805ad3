namespace AsymNet.Tensors.Ops;

public static partial class Ops
{
    /// <summary>Mean over H and W: [N, C, H, W] → [N, C].</summary>
    public static Tensor GlobalAvgPool2d(Tensor x)
    {
        if (x.Rank != 4) throw new ArgumentException($"GlobalAvgPool2d needs [N, C, H, W], got {ShapeUtil.Format(x.Shape)}.");
        // Planes are contiguous, so this is a mean along the last axis of a free reshape; its backward spreads g / (H·W).
        return Mean(Reshape(x, x.Shape[0], x.Shape[1], x.Shape[2] * x.Shape[3]), 2);
    }
}
