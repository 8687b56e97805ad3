namespace AsymNet.Tensors.Ops;

public static partial class Ops
{
    /// <summary>Max pooling over windows of the last axis of [N, C, L], no padding.</summary>
    public static Tensor MaxPool1d(Tensor x, int kernel, int stride) =>
        throw new NotImplementedException("MaxPool1d");
}
