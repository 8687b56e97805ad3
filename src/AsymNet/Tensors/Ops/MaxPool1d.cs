namespace AsymNet.Tensors.Ops;

public static partial class Ops
{
    /// <summary>Max pooling over windows of the last axis of [N, C, L], no padding.</summary>
    public static Tensor MaxPool1d(Tensor x, int kernel, int stride)
    {
        if (x.Rank != 3) throw new ArgumentException($"MaxPool1d needs [N, C, L], got {ShapeUtil.Format(x.Shape)}.");
        // A 2-D pool of height 1 over the same memory.
        var geo = new PoolGeometry(x.Shape[0] * x.Shape[1], 1, x.Shape[2], 1, kernel, 1, stride);
        geo.Validate("MaxPool1d", x, kernel, stride);
        return MaxPool(x, geo, [x.Shape[0], x.Shape[1], geo.OutW]);
    }
}
