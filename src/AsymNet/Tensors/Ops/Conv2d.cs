namespace AsymNet.Tensors.Ops;

public static partial class Ops
{
    /// <summary>2-D convolution, NCHW, weight [Cout, Cin/groups, kH, kW], optional bias [Cout].</summary>
    public static Tensor Conv2d(Tensor x, Tensor weight, Tensor? bias, int stride = 1, int padding = 0, int groups = 1) =>
        throw new NotImplementedException("Conv2d");
}
