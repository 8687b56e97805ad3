namespace AsymNet.Tensors.Ops;

public static partial class Ops
{
    /// <summary>2-D convolution, NCHW, weight [Cout, Cin/groups, kH, kW], optional bias [Cout].</summary>
    public static Tensor Conv2d(Tensor x, Tensor weight, Tensor? bias, int stride = 1, int padding = 0, int groups = 1)
    {
        if (x.Rank != 4 || weight.Rank != 4)
            throw new ArgumentException($"Conv2d needs input [N, C, H, W] and weight [Cout, Cin/groups, kH, kW], got {ShapeUtil.Format(x.Shape)} and {ShapeUtil.Format(weight.Shape)}.");
        var geo = new ConvGeometry(x.Shape[0], x.Shape[1], x.Shape[2], x.Shape[3], weight.Shape[0], groups,
            weight.Shape[2], weight.Shape[3], stride, stride, padding, padding);
        geo.Validate("Conv2d", x, weight, bias);
        return Convolve(x, weight, bias, geo, [geo.Batch, geo.OutChannels, geo.OutH, geo.OutW]);
    }
}
