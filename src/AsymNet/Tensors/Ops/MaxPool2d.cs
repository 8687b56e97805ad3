namespace AsymNet.Tensors.Ops;

public static partial class Ops
{
    /// <summary>Max pooling over kernel×kernel windows of [N, C, H, W], no padding.</summary>
    public static Tensor MaxPool2d(Tensor x, int kernel, int stride) =>
        throw new NotImplementedException("MaxPool2d");
}
