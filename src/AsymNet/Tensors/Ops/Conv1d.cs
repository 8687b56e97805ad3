namespace AsymNet.Tensors.Ops;

public static partial class Ops
{
    /// <summary>1-D convolution, NCL, weight [Cout, Cin/groups, k], optional bias [Cout].</summary>
    public static Tensor Conv1d(Tensor x, Tensor weight, Tensor? bias, int stride = 1, int padding = 0, int groups = 1) =>
        throw new NotImplementedException("Conv1d");
}
