namespace AsymNet.Tensors.Ops;

public static partial class Ops
{
    /// <summary>Average pooling over kernel×kernel windows, no padding.</summary>
    public static Tensor AvgPool2d(Tensor x, int kernel, int stride) =>
        throw new NotImplementedException("AvgPool2d");
}
