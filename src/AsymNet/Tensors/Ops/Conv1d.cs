namespace AsymNet.Tensors.Ops;

public static partial class Ops
{
    /// <summary>1-D convolution, NCL, weight [Cout, Cin/groups, k], optional bias [Cout].</summary>
    public static Tensor Conv1d(Tensor x, Tensor weight, Tensor? bias, int stride = 1, int padding = 0, int groups = 1)
    {
        if (x.Rank != 3 || weight.Rank != 3)
            throw new ArgumentException($"Conv1d needs input [N, C, L] and weight [Cout, Cin/groups, k], got {ShapeUtil.Format(x.Shape)} and {ShapeUtil.Format(weight.Shape)}.");
        // A 2-D convolution of height 1: same memory layout, no copy.
        var geo = new ConvGeometry(x.Shape[0], x.Shape[1], 1, x.Shape[2], weight.Shape[0], groups,
            1, weight.Shape[2], 1, stride, 0, padding);
        geo.Validate("Conv1d", x, weight, bias);
        return Convolve(x, weight, bias, geo, [geo.Batch, geo.OutChannels, geo.OutW]);
    }
}
