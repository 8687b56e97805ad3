using AsymNet.Tensors;
using AsymNet.Tests.Support;
using O = AsymNet.Tensors.Ops.Ops;

namespace AsymNet.Tests.Tensors;

public class PoolTests
{
    /// <summary>
    /// A tensor holding a shuffled ladder of values 0.1 apart, so that no two entries of a window lie within the
    /// finite-difference step of each other and the argmax is stable under the probe.
    /// </summary>
    private static Tensor DistinctValues(Rng rng, params int[] shape)
    {
        var t = Tensor.Persistent(shape);
        var n = t.Length;
        var order = Enumerable.Range(0, n).ToArray();
        for (var i = n - 1; i > 0; i--)
        {
            var j = (int)(rng.NextFloat() * (i + 1));
            (order[i], order[j]) = (order[j], order[i]);
        }
        for (var i = 0; i < n; i++) t.Span[i] = 0.1f * (order[i] - n / 2);
        return t;
    }

    /// <summary>Reference window reduction over [planes, h, w] in float64.</summary>
    private static double[] Windows(Tensor x, int planes, int h, int w, int kh, int kw, int sh, int sw, Func<IEnumerable<double>, double> reduce)
    {
        var (oh, ow) = ((h - kh) / sh + 1, (w - kw) / sw + 1);
        var y = new double[planes * oh * ow];
        for (var p = 0; p < planes; p++)
        for (var r = 0; r < oh; r++)
        for (var q = 0; q < ow; q++)
        {
            var window = new List<double>();
            for (var i = 0; i < kh; i++)
            for (var j = 0; j < kw; j++)
                window.Add(x.Span[(p * h + r * sh + i) * w + q * sw + j]);
            y[(p * oh + r) * ow + q] = reduce(window);
        }
        return y;
    }

    [Theory]
    // batch, channels, height, width, kernel, stride
    [InlineData(2, 3, 4, 6, 2, 2)]
    [InlineData(2, 2, 5, 7, 2, 2)]   // odd sizes: the last row and column are dropped (floor mode)
    [InlineData(1, 3, 5, 6, 3, 1)]   // overlapping windows
    [InlineData(3, 2, 7, 5, 3, 2)]
    [InlineData(2, 1, 3, 3, 3, 3)]
    public void MaxPool2dMatchesReferenceAndGradientsCheck(int n, int c, int h, int w, int k, int s)
    {
        var x = DistinctValues(new Rng((ulong)(h * 10 + w)), n, c, h, w);
        var y = O.MaxPool2d(x, k, s);
        Assert.Equal([n, c, (h - k) / s + 1, (w - k) / s + 1], y.Shape);
        var want = Windows(x, n * c, h, w, k, k, s, s, v => v.Max());
        for (var i = 0; i < want.Length; i++) Assert.Equal(want[i], y.Span[i], 1e-6);
        GradCheck.Check(t => O.MaxPool2d(t[0], k, s), [x], h: 1e-3);
    }

    [Theory]
    // batch, channels, length, kernel, stride
    [InlineData(2, 3, 9, 2, 2)]
    [InlineData(1, 2, 10, 3, 1)]
    [InlineData(3, 2, 11, 4, 3)]
    public void MaxPool1dMatchesReferenceAndGradientsCheck(int n, int c, int l, int k, int s)
    {
        var x = DistinctValues(new Rng((ulong)(l * 10 + k)), n, c, l);
        var y = O.MaxPool1d(x, k, s);
        Assert.Equal([n, c, (l - k) / s + 1], y.Shape);
        var want = Windows(x, n * c, 1, l, 1, k, 1, s, v => v.Max());
        for (var i = 0; i < want.Length; i++) Assert.Equal(want[i], y.Span[i], 1e-6);
        GradCheck.Check(t => O.MaxPool1d(t[0], k, s), [x], h: 1e-3);
    }

    [Fact]
    public void MaxPoolTiesSendTheGradientToTheFirstMaximum()
    {
        // One 2×2 window of equal values and one with the maximum repeated in the second row.
        var x = Tensor.FromArray([1f, 1f, 0f, 3f,
                                  1f, 1f, 3f, 3f], 1, 1, 2, 4);
        x.RequiresGrad = true;
        O.Sum(O.MaxPool2d(x, 2, 2)).Backward();
        Assert.Equal([1f, 0f, 0f, 1f, 0f, 0f, 0f, 0f], x.Grad!.ToArray());

        var x1 = Tensor.FromArray([2f, 5f, 5f, 1f], 1, 1, 4);
        x1.RequiresGrad = true;
        O.Sum(O.MaxPool1d(x1, 3, 1)).Backward();
        Assert.Equal([0f, 2f, 0f, 0f], x1.Grad!.ToArray());
    }

    [Fact]
    public void MaxPoolPropagatesNaNLikePyTorch()
    {
        // PyTorch's CPU kernel takes val > max || isnan(val): a NaN wins over larger values that follow it, and the
        // gradient goes to the last NaN of the window.
        var x = Tensor.FromArray([1f, float.NaN, 5f, float.NaN, 2f, 7f, 3f, 4f], 1, 1, 8);
        x.RequiresGrad = true;
        var y = O.MaxPool1d(x, 4, 4);
        Assert.True(float.IsNaN(y.Span[0]));
        Assert.Equal(7f, y.Span[1]);
        O.Sum(y).Backward();
        Assert.Equal([0f, 0f, 0f, 1f, 0f, 1f, 0f, 0f], x.Grad!.ToArray());
    }

    [Theory]
    [InlineData(2, 3, 4, 6, 2, 2)]
    [InlineData(2, 2, 5, 7, 3, 2)]   // overlapping windows, dropped border
    [InlineData(1, 2, 4, 5, 3, 1)]
    [InlineData(2, 1, 8, 8, 8, 8)]   // the ResNet head's avg_pool2d(out, out.size(3))
    public void AvgPool2dMatchesReferenceAndGradientsCheck(int n, int c, int h, int w, int k, int s)
    {
        var x = GradCheck.Random(new Rng((ulong)(h * 10 + w + k)), -1, 1, n, c, h, w);
        var y = O.AvgPool2d(x, k, s);
        Assert.Equal([n, c, (h - k) / s + 1, (w - k) / s + 1], y.Shape);
        var want = Windows(x, n * c, h, w, k, k, s, s, v => v.Average());
        for (var i = 0; i < want.Length; i++) Assert.Equal(want[i], y.Span[i], 1e-6);
        GradCheck.Check(t => O.AvgPool2d(t[0], k, s), [x]);
    }

    [Theory]
    [InlineData(2, 3, 4, 5)]
    [InlineData(1, 4, 1, 1)]
    [InlineData(3, 2, 8, 8)]
    public void GlobalAvgPool2dIsThePlaneMeanAndGradientsCheck(int n, int c, int h, int w)
    {
        var x = GradCheck.Random(new Rng((ulong)(h * 10 + w)), -1, 1, n, c, h, w);
        var y = O.GlobalAvgPool2d(x);
        Assert.Equal([n, c], y.Shape);
        var want = Windows(x, n * c, h, w, h, w, 1, 1, v => v.Average());
        for (var i = 0; i < want.Length; i++) Assert.Equal(want[i], y.Span[i], 1e-6);
        GradCheck.Check(t => O.GlobalAvgPool2d(t[0]), [x]);
    }

    [Fact]
    public void InvalidPoolsAreRejectedWithTheShapeInTheMessage()
    {
        var x = Tensor.Zeros(1, 2, 3, 3);
        var e = Assert.Throws<ArgumentException>(() => O.MaxPool2d(x, 4, 1));
        Assert.Contains("[1, 2, 3, 3]", e.Message);
        Assert.Throws<ArgumentException>(() => O.AvgPool2d(x, 2, 0));
        Assert.Throws<ArgumentException>(() => O.MaxPool1d(x, 2, 2));
        Assert.Throws<ArgumentException>(() => O.GlobalAvgPool2d(Tensor.Zeros(2, 3)));
    }

    [Theory]
    [InlineData("maxpool2d_k2_s2_odd")]
    [InlineData("maxpool2d_k3_s1")]
    [InlineData("maxpool2d_k3_s2")]
    [InlineData("maxpool1d_k2_s2")]
    [InlineData("maxpool1d_k3_s1")]
    [InlineData("avgpool2d_k2_s2")]
    [InlineData("avgpool2d_k3_s2")]
    [InlineData("avgpool2d_k8_whole_plane")]
    [InlineData("globalavgpool2d")]
    public void MatchesPyTorch(string name)
    {
        // tools/reference/ops_conv_reference.py; outputs and gradients of Σ y·R within 1e-5 of their scale.
        var r = OpReference.Load(name);
        var x = r.Input("x");
        var (kernel, stride) = (r.Root.GetProperty("kernel").GetInt32(), r.Root.GetProperty("stride").GetInt32());
        var y = r.Root.GetProperty("op").GetString() switch
        {
            "maxpool2d" => O.MaxPool2d(x, kernel, stride),
            "maxpool1d" => O.MaxPool1d(x, kernel, stride),
            "avgpool2d" => O.AvgPool2d(x, kernel, stride),
            "globalavgpool2d" => O.GlobalAvgPool2d(x),
            var op => throw new Xunit.Sdk.XunitException($"Unknown op {op} in {name}."),
        };
        r.AssertOutputAndGradients(y, 1e-5, ("x", x));
    }
}
