namespace AsymNet.Tensors.Ops;

public static partial class Ops
{
    /// <summary>Max pooling over kernel×kernel windows of [N, C, H, W], no padding.</summary>
    public static Tensor MaxPool2d(Tensor x, int kernel, int stride)
    {
        if (x.Rank != 4) throw new ArgumentException($"MaxPool2d needs [N, C, H, W], got {ShapeUtil.Format(x.Shape)}.");
        var geo = new PoolGeometry(x.Shape[0] * x.Shape[1], x.Shape[2], x.Shape[3], kernel, kernel, stride, stride);
        geo.Validate("MaxPool2d", x, kernel, stride);
        return MaxPool(x, geo, [x.Shape[0], x.Shape[1], geo.OutH, geo.OutW]);
    }

    /// <summary>
    /// Window maxima of every plane; the gradient goes to the window's argmax. Backward finds the argmax again from
    /// the input (which the graph keeps anyway) rather than storing an index tensor per pool.
    /// </summary>
    private static Tensor MaxPool(Tensor x, PoolGeometry geo, int[] yShape)
    {
        var y = Tensor.Empty(yShape);
        var xs = x.Span;
        var ys = y.Span;
        for (var pl = 0; pl < geo.Planes; pl++)
        {
            var plane = xs.Slice(pl * geo.InPlane, geo.InPlane);
            var outPlane = ys.Slice(pl * geo.OutPlane, geo.OutPlane);
            for (var oh = 0; oh < geo.OutH; oh++)
            for (var ow = 0; ow < geo.OutW; ow++)
                outPlane[oh * geo.OutW + ow] = plane[WindowArgMax(plane, geo, oh, ow)];
        }

        if (Autograd.NeedsGrad(x))
            Autograd.Record(y, [x], g =>
            {
                var gx = Tensor.Zeros(x.Shape);
                var xs = x.Span;
                var gs = g.Span;
                var gxs = gx.Span;
                for (var pl = 0; pl < geo.Planes; pl++)
                {
                    var plane = xs.Slice(pl * geo.InPlane, geo.InPlane);
                    var gPlane = gs.Slice(pl * geo.OutPlane, geo.OutPlane);
                    var gxPlane = gxs.Slice(pl * geo.InPlane, geo.InPlane);
                    for (var oh = 0; oh < geo.OutH; oh++)
                    for (var ow = 0; ow < geo.OutW; ow++)
                        gxPlane[WindowArgMax(plane, geo, oh, ow)] += gPlane[oh * geo.OutW + ow];
                }
                Autograd.AccumulateOwned(x, gx);
            });
        return y;
    }

    /// <summary>
    /// Index in the plane of the window's maximum, scanning row-major with PyTorch's CPU rule
    /// <c>val &gt; maxval || isnan(val)</c>: the first maximum wins ties, and a NaN wins (the last one, if several).
    /// </summary>
    private static int WindowArgMax(ReadOnlySpan<float> plane, in PoolGeometry geo, int oh, int ow)
    {
        var (h0, w0) = (oh * geo.StrideH, ow * geo.StrideW);
        var best = h0 * geo.InW + w0;
        var max = float.NegativeInfinity;
        for (var i = 0; i < geo.KernelH; i++)
        {
            var row = plane.Slice((h0 + i) * geo.InW + w0, geo.KernelW);
            for (var j = 0; j < row.Length; j++)
            {
                var v = row[j];
                if (v > max || float.IsNaN(v))
                {
                    max = v;
                    best = (h0 + i) * geo.InW + w0 + j;
                }
            }
        }
        return best;
    }
}
