using AsymNet.Tensors;
using AsymNet.Tensors.Ops;
using AsymNet.Tests.Support;
using O = AsymNet.Tensors.Ops.Ops;

namespace AsymNet.Tests.Tensors;

/// <summary>Forces kernel paths (every test runs each one this machine has), so it runs alone.</summary>
[Collection(KernelPathsCollection.Name)]
public class ConvTests
{
    /// <summary>float64 direct convolution (the definition, no lowering) of [N, C, H, W] with [Cout, C/groups, kH, kW].</summary>
    private static double[] Reference(Tensor x, Tensor w, Tensor? b, int strideH, int strideW, int padH, int padW, int groups)
    {
        var (n, c, h, wd) = (x.Shape[0], x.Shape[1], x.Shape[2], x.Shape[3]);
        var (cout, cg, kh, kw) = (w.Shape[0], w.Shape[1], w.Shape[2], w.Shape[3]);
        var (oh, ow) = ((h + 2 * padH - kh) / strideH + 1, (wd + 2 * padW - kw) / strideW + 1);
        var og = cout / groups;
        var y = new double[n * cout * oh * ow];
        for (var i = 0; i < n; i++)
        for (var o = 0; o < cout; o++)
        for (var r = 0; r < oh; r++)
        for (var q = 0; q < ow; q++)
        {
            double s = b?.Span[o] ?? 0;
            for (var ci = 0; ci < cg; ci++)
            for (var u = 0; u < kh; u++)
            for (var v = 0; v < kw; v++)
            {
                var (ih, iw) = (r * strideH - padH + u, q * strideW - padW + v);
                if (ih < 0 || ih >= h || iw < 0 || iw >= wd) continue;
                var channel = o / og * cg + ci;
                s += (double)x.Span[((i * c + channel) * h + ih) * wd + iw] * w.Span[((o * cg + ci) * kh + u) * kw + v];
            }
            y[((i * cout + o) * oh + r) * ow + q] = s;
        }
        return y;
    }

    [Theory]
    // batch, channels, height, width, out channels, kernel, stride, padding, groups, bias
    [InlineData(2, 3, 5, 7, 4, 3, 1, 1, 1, true)]
    [InlineData(2, 3, 6, 5, 2, 3, 2, 1, 1, false)]
    [InlineData(3, 4, 5, 6, 6, 1, 1, 0, 2, true)]   // pointwise fast path, grouped
    [InlineData(2, 3, 4, 5, 5, 1, 1, 0, 1, false)]  // pointwise fast path
    [InlineData(2, 4, 7, 5, 4, 3, 2, 0, 4, true)]   // depthwise
    [InlineData(1, 4, 5, 5, 8, 3, 1, 1, 4, false)]  // groups 4, two filters per group
    [InlineData(2, 2, 4, 6, 3, 1, 2, 0, 1, true)]   // 1×1 with stride: lowered, not pointwise
    [InlineData(2, 3, 5, 4, 2, 1, 1, 1, 1, true)]   // 1×1 with padding
    [InlineData(2, 4, 3, 5, 4, 3, 1, 0, 2, false)]
    [InlineData(1, 2, 7, 8, 2, 3, 3, 1, 1, true)]   // stride 3: uneven coverage of the edges
    [InlineData(2, 1, 2, 3, 2, 3, 1, 1, 1, true)]   // kernel wider than the unpadded input
    [InlineData(2, 2, 3, 1, 2, 3, 2, 1, 1, true)]   // width 1, stride 2: two kernel columns read only padding
    [InlineData(2, 2, 1, 5, 4, 3, 2, 1, 2, false)]  // height 1, stride 2: two kernel rows read only padding
    [InlineData(2, 3, 6, 6, 2, 3, 1, 1, 1, false)]  // "same" convolution: contiguous column rows
    [InlineData(1, 2, 5, 5, 2, 5, 1, 2, 2, true)]   // "same" with padding 2
    [InlineData(1, 2, 3, 21, 2, 3, 2, 1, 1, true)]  // stride-2 rows long enough for the vector path, with a tail
    [InlineData(2, 2, 2, 18, 3, 1, 2, 0, 1, false)] // 1×1 stride 2 (shortcut), vector path up to the image's end
    [InlineData(2, 3, 3, 5, 16, 3, 1, 1, 1, true)]  // width 5: lowered forward, direct weight gradient (odd planes, odd channels)
    [InlineData(2, 3, 16, 16, 8, 3, 2, 1, 1, true)] // stride 2: direct tiles over tap planes (8×8 outputs)
    [InlineData(2, 4, 15, 8, 16, 3, 2, 1, 1, false)] // stride 2, odd height: tap-plane tiles and the strided direct weight gradient
    [InlineData(1, 2, 10, 6, 8, 3, 1, 0, 1, true)]  // 3×3 without padding: tap-plane tiles (8×4 outputs)
    public void Conv2dMatchesDirectSumAndGradientsCheck(int n, int c, int h, int w, int cout, int k, int stride, int padding, int groups, bool withBias) =>
        KernelPathRuns.OnEveryPath(_ =>
        {
            MatchesDirectSumAndGradientsCheck(n, c, h, w, cout, k, stride, padding, groups, withBias);
            return 0;
        });

    private static void MatchesDirectSumAndGradientsCheck(int n, int c, int h, int w, int cout, int k, int stride, int padding, int groups, bool withBias)
    {
        var rng = new Rng((ulong)(n * 1000 + c * 100 + k * 10 + stride + padding * 7 + groups * 13));
        var x = GradCheck.Random(rng, -1, 1, n, c, h, w);
        var weight = GradCheck.Random(rng, -1, 1, cout, c / groups, k, k);
        var bias = withBias ? GradCheck.Random(rng, -1, 1, cout) : null;
        var y = O.Conv2d(x, weight, bias, stride, padding, groups);
        var (oh, ow) = ((h + 2 * padding - k) / stride + 1, (w + 2 * padding - k) / stride + 1);
        Assert.Equal([n, cout, oh, ow], y.Shape);
        var want = Reference(x, weight, bias, stride, stride, padding, padding, groups);
        for (var i = 0; i < want.Length; i++) Assert.Equal(want[i], y.Span[i], 1e-5);

        Tensor[] inputs = bias is null ? [x, weight] : [x, weight, bias];
        GradCheck.Check(t => O.Conv2d(t[0], t[1], t.Length > 2 ? t[2] : null, stride, padding, groups), inputs);
    }

    [Avx512Theory]
    // batch, channels, height, width, out channels, bias: the direct 3×3 kernels (widths 8, 16, 32; channel blocks of 8)
    [InlineData(3, 8, 2, 16, 8, true)]   // three images: an uneven two-way split
    [InlineData(2, 8, 4, 8, 8, true)]    // 8 wide: each 16-output run spans two rows
    [InlineData(1, 8, 8, 8, 16, false)]
    [InlineData(2, 8, 3, 32, 16, false)] // two output-channel blocks, three rows of two segments
    [InlineData(2, 3, 1, 32, 8, true)]   // three input channels: direct forward and weight gradient, lowered input gradient
    [InlineData(1, 16, 4, 16, 8, false)]
    [InlineData(2, 16, 4, 8, 32, true)]  // weight gradient: two vectors of output channels per tile
    [InlineData(2, 8, 2, 16, 48, false)] // weight gradient: two vectors, then one vector for two input channels at a time
    [InlineData(9, 3, 4, 8, 16, true)]   // odd input channels (a zero plane pairs the last); nine images in eight groups
    public void DirectThreeByThreeMatchesDirectSumAndGradientsCheck(int n, int c, int h, int w, int cout, bool withBias)
    {
        using (KernelPaths.Use(new KernelPathSetting(VectorPath.Bits512, ConvolutionPath.Direct)))
            Assert.True(DirectConv3x3.Supports(new ConvGeometry(n, c, h, w, cout, 1, 3, 3, 1, 1, 1, 1)));
        Conv2dMatchesDirectSumAndGradientsCheck(n, c, h, w, cout, 3, 1, 1, 1, withBias);
    }

    [Fact]
    public void DirectWeightGradientOfAnEmptyBatchIsZero()
    {
        var rng = new Rng(17);
        var x = Tensor.Zeros(0, 8, 4, 16);
        var w = GradCheck.Random(rng, -1, 1, 16, 8, 3, 3);
        w.RequiresGrad = true;
        w.Grad = GradCheck.Random(rng, 1, 2, 16, 8, 3, 3); // a stale gradient the backward adds nothing to
        var before = w.Grad.ToArray();
        O.Sum(O.Conv2d(x, w, null, 1, 1)).Backward();
        Assert.Equal(before, w.Grad!.ToArray());
    }

    [Fact]
    public void DirectInputGradientAddsIntoAnExistingGradientAsASeparateAdditionWould()
    {
        // x + conv(x), a ResNet block's identity shortcut: x has the shortcut's gradient when the conv's backward runs.
        var rng = new Rng(16);
        var x = GradCheck.Random(rng, -1, 1, 2, 8, 4, 16);
        var w = GradCheck.Random(rng, -1, 1, 8, 8, 3, 3);
        var c = GradCheck.Random(rng, -1, 1, 2, 8, 4, 16);
        x.RequiresGrad = true;
        O.Sum(O.Mul(O.Conv2d(x, w, null, 1, 1), c)).Backward();
        var convOnly = x.Grad!.ToArray();
        x.Grad = null;
        O.Sum(O.Mul(O.Add(O.Conv2d(x, w, null, 1, 1), x), c)).Backward();
        var both = x.Grad!.ToArray();
        for (var i = 0; i < both.Length; i++) Assert.Equal(c.Span[i] + convOnly[i], both[i]);

        // With a hook the conv's contribution still arrives on its own.
        x.Grad = null;
        var seen = 0;
        x.RegisterHook(_ => seen++);
        O.Sum(O.Mul(O.Add(O.Conv2d(x, w, null, 1, 1), x), c)).Backward();
        Assert.Equal(2, seen);
        Assert.Equal(both, x.Grad!.ToArray());
    }

    [Theory]
    // batch, channels, length, out channels, kernel, stride, padding, groups, bias
    [InlineData(2, 3, 9, 4, 3, 1, 1, 1, true)]
    [InlineData(3, 4, 8, 2, 5, 2, 2, 2, false)]
    [InlineData(2, 4, 7, 4, 3, 2, 0, 4, true)]
    [InlineData(2, 6, 5, 3, 1, 1, 0, 3, true)]
    public void Conv1dIsConv2dOfHeightOneAndGradientsCheck(int n, int c, int l, int cout, int k, int stride, int padding, int groups, bool withBias)
    {
        var rng = new Rng((ulong)(l * 100 + k * 10 + groups));
        var x = GradCheck.Random(rng, -1, 1, n, c, l);
        var weight = GradCheck.Random(rng, -1, 1, cout, c / groups, k);
        var bias = withBias ? GradCheck.Random(rng, -1, 1, cout) : null;
        var y = O.Conv1d(x, weight, bias, stride, padding, groups);
        var ol = (l + 2 * padding - k) / stride + 1;
        Assert.Equal([n, cout, ol], y.Shape);
        var want = Reference(Tensor.FromArray(x.ToArray(), n, c, 1, l), Tensor.FromArray(weight.ToArray(), cout, c / groups, 1, k),
            bias, 1, stride, 0, padding, groups);
        for (var i = 0; i < want.Length; i++) Assert.Equal(want[i], y.Span[i], 1e-5);

        Tensor[] inputs = bias is null ? [x, weight] : [x, weight, bias];
        GradCheck.Check(t => O.Conv1d(t[0], t[1], t.Length > 2 ? t[2] : null, stride, padding, groups), inputs);
    }

    [Theory]
    [InlineData(3, 1)]
    [InlineData(1, 0)]
    public void LeafGradientsAccumulateAcrossBackwardCalls(int k, int padding)
    {
        var rng = new Rng(11);
        var x = GradCheck.Random(rng, -1, 1, 2, 2, 4, 3);
        var w = GradCheck.Random(rng, -1, 1, 3, 2, k, k);
        var b = GradCheck.Random(rng, -1, 1, 3);
        var once = LeafGradients.AccumulateAcrossBackwardCalls(() => O.Sum(O.Conv2d(x, w, b, 1, padding)), x, w, b);
        // Every output position sees the bias once: 2 images × 4 × 3 positions.
        Assert.Equal(24f, once[2][0], 1e-5);
    }

    [Fact]
    public void GradientHooksSeeTheWeightGradient()
    {
        var rng = new Rng(12);
        var x = GradCheck.Random(rng, -1, 1, 2, 2, 4, 4);
        LeafGradients.HookSeesTheGradient(w => O.Conv2d(x, w, null, 1, 1), GradCheck.Random(rng, -1, 1, 2, 2, 3, 3));
    }

    [Fact]
    public void SteadyStateForwardAndBackwardAllocateOnlyBookkeeping()
    {
        // Column buffers come from the pool and go back; what remains per step is tensor objects, shapes and closures.
        var rng = new Rng(14);
        var x = GradCheck.Random(rng, -1, 1, 4, 8, 16, 16);
        var w3 = GradCheck.Random(rng, -1, 1, 8, 4, 3, 3);
        var w1 = GradCheck.Random(rng, -1, 1, 8, 8, 1, 1);
        var b = GradCheck.Random(rng, -1, 1, 8);
        w3.RequiresGrad = w1.RequiresGrad = b.RequiresGrad = true;
        var scope = new TensorScope();
        void Step()
        {
            using (scope.Enter())
            {
                var input = O.MulScalar(x, 1f);
                var y = O.Conv2d(O.Conv2d(input, w3, b, 2, 1, 2), w1, null);
                O.Sum(O.Add(O.Sum(y), O.Sum(O.Conv1d(O.Reshape(input, 4, 8, 256), O.Reshape(w3, 8, 4, 9), null, 1, 4, 2)))).Backward();
            }
        }
        x.RequiresGrad = true;
        for (var i = 0; i < 5; i++) Step();
        var before = GC.GetAllocatedBytesForCurrentThread();
        const int steps = 10;
        for (var i = 0; i < steps; i++) Step();
        var perStep = (GC.GetAllocatedBytesForCurrentThread() - before) / steps;
        // About 5 KB of objects today; one leaked column buffer of the first conv (9 KB) would already fail.
        Assert.True(perStep < 8 << 10, $"{perStep} bytes per step; the first column buffer alone is {4 * 9 * 64 * 4} bytes");
    }

    [Fact]
    public void NonLeafWeightGetsItsGradientThroughTheGraph()
    {
        // W-Asymmetric layers convolve with a computed weight; its gradient must flow back to the parameter.
        var rng = new Rng(13);
        var x = GradCheck.Random(rng, -1, 1, 2, 4, 5, 5);
        var w = GradCheck.Random(rng, -1, 1, 4, 2, 3, 3);
        GradCheck.Check(t => O.Conv2d(t[0], O.Mul(t[1], t[1]), null, 2, 1, 2), [x, w]);
    }

    [Fact]
    public void InvalidShapesAreRejectedWithTheShapesInTheMessage()
    {
        var x = Tensor.Zeros(1, 3, 5, 5);
        var e = Assert.Throws<ArgumentException>(() => O.Conv2d(x, Tensor.Zeros(4, 2, 3, 3), null));
        Assert.Contains("[1, 3, 5, 5]", e.Message);
        Assert.Throws<ArgumentException>(() => O.Conv2d(x, Tensor.Zeros(4, 1, 3, 3), null, groups: 3));
        Assert.Throws<ArgumentException>(() => O.Conv2d(x, Tensor.Zeros(4, 3, 7, 7), null));
        Assert.Throws<ArgumentException>(() => O.Conv2d(x, Tensor.Zeros(4, 3, 3, 3), Tensor.Zeros(3)));
        Assert.Throws<ArgumentException>(() => O.Conv2d(x, Tensor.Zeros(4, 3, 3, 3), null, stride: 0));
        Assert.Throws<ArgumentException>(() => O.Conv1d(x, Tensor.Zeros(4, 3, 3), null));
    }

    [Theory]
    [InlineData("conv2d_3x3_s1_p1_bias")]
    [InlineData("conv2d_3x3_s2_p1_groups2")]
    [InlineData("conv2d_3x3_depthwise_bias")]
    [InlineData("conv2d_3x3_p0_groups4_two_filters_each")]
    [InlineData("conv2d_1x1_pointwise_bias")]
    [InlineData("conv2d_1x1_s2_shortcut")]
    [InlineData("conv2d_3x3_resnet_body")]
    [InlineData("conv2d_3x3_s3_uneven_edges_bias")]
    [InlineData("conv2d_3x3_s2_wide_rows_bias")]
    [InlineData("conv1d_k3_s1_p1_bias")]
    [InlineData("conv1d_k5_s2_p2_groups2")]
    [InlineData("conv1d_k1_groups3_bias")]
    public void MatchesPyTorch(string name)
    {
        // tools/reference/ops_conv_reference.py; outputs and gradients of Σ y·R within 1e-5 of their scale.
        var r = OpReference.Load(name);
        var (x, weight) = (r.Input("x"), r.Input("weight"));
        var bias = r.Root.TryGetProperty("bias", out _) ? r.Input("bias") : null;
        var (stride, padding, groups) = (r.Root.GetProperty("stride").GetInt32(), r.Root.GetProperty("padding").GetInt32(), r.Root.GetProperty("groups").GetInt32());
        var y = r.Root.GetProperty("op").GetString() == "conv1d"
            ? O.Conv1d(x, weight, bias, stride, padding, groups)
            : O.Conv2d(x, weight, bias, stride, padding, groups);
        r.AssertOutputAndGradients(y, 1e-5, ("x", x), ("weight", weight), ("bias", bias));
    }
}
