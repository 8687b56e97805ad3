using System.Numerics.Tensors;

namespace AsymNet.Tensors.Ops;

public static partial class Ops
{
    /// <summary>Average pooling over kernel×kernel windows, no padding.</summary>
    public static Tensor AvgPool2d(Tensor x, int kernel, int stride)
    {
        if (x.Rank != 4) throw new ArgumentException($"AvgPool2d needs [N, C, H, W], got {ShapeUtil.Format(x.Shape)}.");
        var geo = new PoolGeometry(x.Shape[0] * x.Shape[1], x.Shape[2], x.Shape[3], kernel, kernel, stride, stride);
        geo.Validate("AvgPool2d", x, kernel, stride);
        var y = Tensor.Empty(x.Shape[0], x.Shape[1], geo.OutH, geo.OutW);
        var scale = 1f / (kernel * kernel);
        var xs = x.Span;
        var ys = y.Span;
        for (var pl = 0; pl < geo.Planes; pl++)
        for (var oh = 0; oh < geo.OutH; oh++)
        for (var ow = 0; ow < geo.OutW; ow++)
        {
            var s = 0f;
            var corner = pl * geo.InPlane + oh * stride * geo.InW + ow * stride;
            for (var i = 0; i < kernel; i++) s += TensorPrimitives.Sum(xs.Slice(corner + i * geo.InW, kernel));
            ys[(pl * geo.OutH + oh) * geo.OutW + ow] = s * scale;
        }

        if (Autograd.NeedsGrad(x))
            Autograd.Record(y, [x], g =>
            {
                // Overlapping windows (stride < kernel) add up; uncovered border elements keep 0.
                var gx = Tensor.Zeros(x.Shape);
                var gs = g.Span;
                var gxs = gx.Span;
                for (var pl = 0; pl < geo.Planes; pl++)
                for (var oh = 0; oh < geo.OutH; oh++)
                for (var ow = 0; ow < geo.OutW; ow++)
                {
                    var share = gs[(pl * geo.OutH + oh) * geo.OutW + ow] * scale;
                    var corner = pl * geo.InPlane + oh * stride * geo.InW + ow * stride;
                    for (var i = 0; i < kernel; i++)
                    {
                        var row = gxs.Slice(corner + i * geo.InW, kernel);
                        TensorPrimitives.Add(row, share, row);
                    }
                }
                Autograd.AccumulateOwned(x, gx);
            });
        return y;
    }
}
