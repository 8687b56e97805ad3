using AsymNet.Tensors;
using AsymNet.Tests.Support;
using O = AsymNet.Tensors.Ops.Ops;

namespace AsymNet.Tests.Tensors;

[Collection(AllocationMeasurement.Name)]
public class NormTests
{
    /// <summary>
    /// float64 reference of a normalization of x seen as [n, c, s]: statistics per (n, group) for groups &gt; 0, per
    /// channel over (n, s) for groups = 0; two-pass mean and biased variance.
    /// </summary>
    private static (double[] Y, double[] Mean, double[] Var) Reference(float[] x, int n, int c, int s, int groups, float[]? w, float[]? b, double eps,
        float[]? fixedMean = null, float[]? fixedVar = null)
    {
        var count = groups == 0 ? c : n * groups;
        var members = new List<int>[count];
        for (var k = 0; k < count; k++) members[k] = [];
        for (var i = 0; i < n; i++)
        for (var ch = 0; ch < c; ch++)
        for (var p = 0; p < s; p++)
            members[groups == 0 ? ch : i * groups + ch / (c / groups)].Add((i * c + ch) * s + p);
        var mean = new double[count];
        var variance = new double[count];
        var y = new double[x.Length];
        for (var k = 0; k < count; k++)
        {
            if (fixedMean is not null) (mean[k], variance[k]) = (fixedMean[k], fixedVar![k]);
            else
            {
                mean[k] = members[k].Average(i => (double)x[i]);
                variance[k] = members[k].Average(i => (x[i] - mean[k]) * (x[i] - mean[k]));
            }
            foreach (var i in members[k])
            {
                var ch = i / s % c;
                y[i] = (x[i] - mean[k]) / Math.Sqrt(variance[k] + eps) * (w?[ch] ?? 1.0) + (b?[ch] ?? 0.0);
            }
        }
        return (y, mean, variance);
    }

    /// <summary>x of the shape, affine weight near 1 and bias near 0 for its channels (dimension 1), and (C, S).</summary>
    private static (Tensor X, Tensor W, Tensor B, int C, int S) Inputs(Rng rng, int[] shape)
    {
        var c = shape[1];
        return (GradCheck.Random(rng, -2, 3, shape), GradCheck.Random(rng, 0.5f, 1.5f, c), GradCheck.Random(rng, -1, 1, c),
            c, shape.Skip(2).Aggregate(1, (p, d) => p * d));
    }

    private static void AssertClose(double[] want, Tensor got, double tol)
    {
        Assert.Equal(want.Length, got.Length);
        for (var i = 0; i < want.Length; i++)
            Assert.True(Math.Abs(want[i] - got.Span[i]) <= tol, $"[{i}]: want {want[i]}, got {got.Span[i]}");
    }

    [Theory]
    [InlineData(3, 1)]
    [InlineData(2, 7)]
    [InlineData(4, 16)]
    [InlineData(3, 33)]
    [InlineData(2, 65)]
    [InlineData(0, 5)]
    public void LayerNormMatchesFloat64Reference(int rows, int features)
    {
        var rng = new Rng(11);
        var x = GradCheck.Random(rng, -3, 5, rows, features);
        var w = GradCheck.Random(rng, 0.5f, 1.5f, features);
        var b = GradCheck.Random(rng, -1, 1, features);
        // y = x·(rstd·w) + (b − mean·rstd·w) like PyTorch's kernel; with one feature the variance is 0, rstd = 1/√eps
        // ≈ 316 and the two terms cancel in float32 at about 1e-7·|x|·rstd.
        var tol = features == 1 ? 2e-4 : 2e-5;
        AssertClose(Reference(x.ToArray(), rows, features, 1, 1, w.ToArray(), b.ToArray(), 1e-5).Y, O.LayerNorm(x, w, b), tol);
        AssertClose(Reference(x.ToArray(), rows, features, 1, 1, null, null, 1e-5).Y, O.LayerNorm(x, null, null), tol);
    }

    [Fact]
    public void LayerNormOverLeadingDimensionsNormalizesEachRow()
    {
        var rng = new Rng(12);
        var x = GradCheck.Random(rng, -1, 1, 2, 3, 5);
        var y = O.LayerNorm(x, null, null, 1e-3f);
        Assert.Equal([2, 3, 5], y.Shape);
        AssertClose(Reference(x.ToArray(), 6, 5, 1, 1, null, null, 1e-3).Y, y, 2e-5);
    }

    [Fact]
    public void LayerNormKeepsPrecisionWhenTheMeanDwarfsTheSpread()
    {
        // A one-pass E[x²] − E[x]² in float32 loses every digit here; the shifted float64 sums do not.
        var rng = new Rng(13);
        var x = Tensor.Persistent(4, 37);
        for (var i = 0; i < x.Length; i++) x.Span[i] = 10000f + rng.Uniform(-1f, 1f);
        AssertClose(Reference(x.ToArray(), 4, 37, 1, 1, null, null, 1e-5).Y, O.LayerNorm(x, null, null), 5e-3);
    }

    [Fact]
    public void LayerNormGradientsCheckWithAndWithoutAffine()
    {
        var rng = new Rng(14);
        var x = GradCheck.Random(rng, -2, 2, 3, 7);
        var w = GradCheck.Random(rng, 0.5f, 1.5f, 7);
        var b = GradCheck.Random(rng, -1, 1, 7);
        GradCheck.Check(t => O.LayerNorm(t[0], t[1], t[2]), [x, w, b]);
        GradCheck.Check(t => O.LayerNorm(t[0], null, null), [x]);
        GradCheck.Check(t => O.LayerNorm(t[0], t[1], null), [x, w]);
        var wide = GradCheck.Random(rng, -2, 2, 2, 37);
        var w37 = GradCheck.Random(rng, 0.5f, 1.5f, 37);
        GradCheck.Check(t => O.LayerNorm(t[0], t[1], null), [wide, w37]);
    }

    [Theory]
    [InlineData(1, new[] { 2, 6, 5 })]
    [InlineData(3, new[] { 2, 6, 5 })]
    [InlineData(6, new[] { 2, 6, 5 })]
    [InlineData(2, new[] { 3, 4 })]
    [InlineData(1, new[] { 2, 3, 3, 3 })]
    [InlineData(2, new[] { 1, 4, 17 })]
    public void GroupNormMatchesReferenceAndGradientsCheck(int groups, int[] shape)
    {
        var (x, w, b, c, s) = Inputs(new Rng(15), shape);
        AssertClose(Reference(x.ToArray(), shape[0], c, s, groups, w.ToArray(), b.ToArray(), 1e-5).Y, O.GroupNorm(x, groups, w, b), 2e-5);
        GradCheck.Check(t => O.GroupNorm(t[0], groups, t[1], t[2]), [x, w, b]);
        GradCheck.Check(t => O.GroupNorm(t[0], groups, null, null), [x]);
    }

    [Theory]
    [InlineData(new[] { 5, 3 })]
    [InlineData(new[] { 4, 3, 5 })]
    [InlineData(new[] { 2, 3, 3, 2 })]
    [InlineData(new[] { 3, 2, 17 })]
    public void BatchNormTrainingMatchesReferenceAndGradientsCheck(int[] shape)
    {
        var (x, w, b, c, s) = Inputs(new Rng(16), shape);
        var (rm, rv) = (Tensor.Persistent(c), Tensor.Full(1f, c).Clone());
        long tracked = 0;
        var want = Reference(x.ToArray(), shape[0], c, s, 0, w.ToArray(), b.ToArray(), 1e-5);
        AssertClose(want.Y, O.BatchNorm(x, rm, rv, w, b, true, 0.1f, 1e-5f, ref tracked), 2e-5);
        GradCheck.Check(t => O.BatchNorm(t[0], rm, rv, t[1], t[2], true, 0.1f, 1e-5f, ref tracked), [x, w, b]);
        GradCheck.Check(t => O.BatchNorm(t[0], rm, rv, null, null, true, null, 1e-5f, ref tracked), [x]);
    }

    [Theory]
    [InlineData(new[] { 5, 3 })]
    [InlineData(new[] { 2, 3, 3, 2 })]
    public void BatchNormEvalUsesRunningStatisticsAndGradientsCheck(int[] shape)
    {
        var rng = new Rng(17);
        var (x, w, b, c, s) = Inputs(rng, shape);
        var rm = GradCheck.Random(rng, -0.5f, 0.5f, c);
        var rv = GradCheck.Random(rng, 0.5f, 2f, c);
        var (rm0, rv0) = (rm.ToArray(), rv.ToArray());
        long tracked = 3;
        var want = Reference(x.ToArray(), shape[0], c, s, 0, w.ToArray(), b.ToArray(), 1e-5, rm0, rv0);
        AssertClose(want.Y, O.BatchNorm(x, rm, rv, w, b, false, 0.1f, 1e-5f, ref tracked), 2e-5);
        GradCheck.Check(t => O.BatchNorm(t[0], rm, rv, t[1], t[2], false, 0.1f, 1e-5f, ref tracked), [x, w, b]);
        Assert.Equal(3, tracked);
        Assert.Equal(rm0, rm.ToArray());
        Assert.Equal(rv0, rv.ToArray());
    }

    [Theory]
    [InlineData(new[] { 6, 4 })]
    [InlineData(new[] { 3, 4, 5 })]
    public void BatchNormRunningStatisticsFollowMomentum(int[] shape)
    {
        var rng = new Rng(18);
        var c = shape[1];
        var s = shape.Skip(2).Aggregate(1, (p, d) => p * d);
        var m = shape[0] * s;
        var rm = GradCheck.Random(rng, -0.5f, 0.5f, c);
        var rv = GradCheck.Random(rng, 0.5f, 2f, c);
        var (expMean, expVar) = (rm.ToArray().Select(v => (double)v).ToArray(), rv.ToArray().Select(v => (double)v).ToArray());
        long tracked = 0;
        for (var step = 0; step < 3; step++)
        {
            var x = GradCheck.Random(rng, -2, 3, shape);
            var stats = Reference(x.ToArray(), shape[0], c, s, 0, null, null, 1e-5);
            O.BatchNorm(x, rm, rv, null, null, true, 0.1f, 1e-5f, ref tracked);
            for (var k = 0; k < c; k++)
            {
                expMean[k] = 0.9 * expMean[k] + 0.1 * stats.Mean[k];
                expVar[k] = 0.9 * expVar[k] + 0.1 * stats.Var[k] * m / (m - 1);
                Assert.Equal(expMean[k], rm.Span[k], 1e-5);
                Assert.Equal(expVar[k], rv.Span[k], 1e-5);
            }
            Assert.Equal(step + 1, tracked);
        }
    }

    [Fact]
    public void BatchNormWithoutMomentumKeepsTheCumulativeAverage()
    {
        var rng = new Rng(19);
        const int c = 3;
        var rm = GradCheck.Random(rng, -0.5f, 0.5f, c);
        var rv = GradCheck.Random(rng, 0.5f, 2f, c);
        var (sumMean, sumVar) = (new double[c], new double[c]);
        long tracked = 0;
        for (var step = 1; step <= 4; step++)
        {
            var x = GradCheck.Random(rng, -2, 3, 5, c, 2);
            var stats = Reference(x.ToArray(), 5, c, 2, 0, null, null, 1e-5);
            O.BatchNorm(x, rm, rv, null, null, true, null, 1e-5f, ref tracked);
            for (var k = 0; k < c; k++)
            {
                // The initial running values drop out: the first step has factor 1/1.
                sumMean[k] += stats.Mean[k];
                sumVar[k] += stats.Var[k] * 10 / 9;
                Assert.Equal(sumMean[k] / step, rm.Span[k], 1e-5);
                Assert.Equal(sumVar[k] / step, rv.Span[k], 1e-5);
            }
        }
        Assert.Equal(4, tracked);
    }

    [Fact]
    public void BatchNormTrainingNeedsMoreThanOneValuePerChannel()
    {
        long tracked = 0;
        var ex = Assert.Throws<ArgumentException>(() =>
            O.BatchNorm(Tensor.Full(1f, 1, 3).Clone(), Tensor.Persistent(3), Tensor.Full(1f, 3).Clone(), null, null, true, 0.1f, 1e-5f, ref tracked));
        Assert.Contains("more than 1 value", ex.Message);
        Assert.Equal(0, tracked);
    }

    [Fact]
    public void ShapeMismatchesAreReported()
    {
        long tracked = 0;
        var x = Tensor.Persistent(2, 6, 3);
        Assert.Throws<ArgumentException>(() => O.LayerNorm(x, Tensor.Persistent(4), null));
        Assert.Throws<ArgumentException>(() => O.GroupNorm(x, 4, null, null));
        Assert.Throws<ArgumentException>(() => O.GroupNorm(x, 2, Tensor.Persistent(3), null));
        Assert.Throws<ArgumentException>(() => O.BatchNorm(x, Tensor.Persistent(3), Tensor.Persistent(6), null, null, true, 0.1f, 1e-5f, ref tracked));
    }

    [Fact]
    public void NormalizationIsRecyclableUnderAScope()
    {
        // Ops own their outputs and saved statistics through the scope; a second identical step reuses them.
        var rng = new Rng(20);
        var x = GradCheck.Random(rng, -1, 1, 8, 64);
        var w = GradCheck.Random(rng, 0.5f, 1.5f, 64);
        w.RequiresGrad = true;
        var scope = new TensorScope();
        float[]? first = null;
        for (var step = 0; step < 3; step++)
        {
            using (scope.Enter())
            {
                O.Sum(O.Mul(O.LayerNorm(x, w, null), O.LayerNorm(x, null, null))).Backward();
            }
            first ??= w.Grad!.ToArray();
        }
        for (var i = 0; i < first!.Length; i++) Assert.Equal(3 * first[i], w.Grad!.Span[i], 1e-4);
    }

    [Fact]
    public void SteadyStateStepsAllocateNoTensorSizedGarbage()
    {
        // After warm-up every buffer comes from the pools; what remains is per-op bookkeeping (tensor objects, closures).
        var rng = new Rng(21);
        var x = GradCheck.Random(rng, -1, 1, 64, 512);
        var img = GradCheck.Random(rng, -1, 1, 8, 16, 8, 8);
        var (w, b, w16) = (GradCheck.Random(rng, 0.5f, 1.5f, 512), GradCheck.Random(rng, -1, 1, 512), GradCheck.Random(rng, 0.5f, 1.5f, 16));
        var (rm, rv) = (Tensor.Persistent(16), Tensor.Full(1f, 16).Clone());
        var graph = new CsrAdjacency([.. Enumerable.Range(0, 65).Select(i => 2 * i)], [.. Enumerable.Range(0, 128).Select(i => (i * 7 + 1) % 64)]);
        x.RequiresGrad = img.RequiresGrad = w.RequiresGrad = b.RequiresGrad = w16.RequiresGrad = true;
        long tracked = 0;
        var scope = new TensorScope();
        void Step()
        {
            using (scope.Enter())
            {
                var a = O.Sum(O.GraphMeanAggregate(O.LayerNorm(x, w, b), graph));
                var c = O.Sum(O.GroupNorm(img, 4, w16, null));
                var d = O.Sum(O.BatchNorm(img, rm, rv, w16, null, true, 0.1f, 1e-5f, ref tracked));
                O.Add(O.Add(a, c), d).Backward();
            }
        }
        for (var i = 0; i < 5; i++) Step();
        var before = GC.GetAllocatedBytesForCurrentThread();
        const int steps = 10;
        for (var i = 0; i < steps; i++) Step();
        var perStep = (GC.GetAllocatedBytesForCurrentThread() - before) / steps;
        Assert.True(perStep < 16 << 10, $"{perStep} bytes per step; x alone is {x.Length * 4} bytes");
    }

    [Fact]
    public void Float64MomentKernelsMatchAScalarLoopOverEveryLength()
    {
        var rng = new Rng(22);
        for (var n = 0; n <= 100; n++)
        {
            var a = GradCheck.Random(rng, 99, 101, n).ToArray();
            var b = GradCheck.Random(rng, -1, 1, n).ToArray();
            var (s1, s2) = AsymNet.Tensors.Ops.Normalization.ShiftedMoments(a, 100f, b, 0.5f);
            Assert.Equal(a.Sum(v => (double)(v - 100f)), s1, 1e-9);
            Assert.Equal(a.Select((v, i) => (double)(v - 100f) * (b[i] - 0.5f)).Sum(), s2, 1e-6);
            var acc = Enumerable.Range(0, n).Select(i => (double)i).ToArray();
            AsymNet.Tensors.Ops.Normalization.AddWidened(b, acc);
            for (var i = 0; i < n; i++) Assert.Equal(i + (double)b[i], acc[i]);
        }
    }

    // ---- PyTorch 1.13 cross-checks (tools/reference/ops_norm_reference.py) ----

    private const double PyTorchTolerance = 1e-5;

    [Theory]
    [InlineData("layernorm_affine")]
    [InlineData("layernorm_plain")]
    public void LayerNormMatchesPyTorch(string name)
    {
        var r = OpReference.Load(name);
        var (x, w, b) = (r.Input("x"), OptionalInput(r, "weight"), OptionalInput(r, "bias"));
        var y = O.LayerNorm(x, w, b, r.Root.GetProperty("eps").GetSingle());
        r.AssertOutputAndGradients(y, PyTorchTolerance, ("x", x), ("weight", w), ("bias", b));
    }

    [Theory]
    [InlineData("groupnorm_one_group")]
    [InlineData("groupnorm_three_groups")]
    [InlineData("groupnorm_group_per_channel")]
    [InlineData("groupnorm_wide_planes")]
    public void GroupNormMatchesPyTorch(string name)
    {
        var r = OpReference.Load(name);
        var (x, w, b) = (r.Input("x"), OptionalInput(r, "weight"), OptionalInput(r, "bias"));
        var y = O.GroupNorm(x, r.Root.GetProperty("groups").GetInt32(), w, b, r.Root.GetProperty("eps").GetSingle());
        r.AssertOutputAndGradients(y, PyTorchTolerance, ("x", x), ("weight", w), ("bias", b));
    }

    [Theory]
    [InlineData("batchnorm_train_2d")]
    [InlineData("batchnorm_train_3d_cumulative")]
    [InlineData("batchnorm_train_4d")]
    [InlineData("batchnorm_eval_4d")]
    [InlineData("batchnorm_eval_2d")]
    [InlineData("batchnorm_train_wide_planes")]
    public void BatchNormMatchesPyTorchIncludingRunningStatistics(string name)
    {
        var r = OpReference.Load(name);
        var root = r.Root;
        var (w, b) = (r.Input("weight"), r.Input("bias"));
        var (rm, rv) = (r.Input("runningMean", false), r.Input("runningVar", false));
        var training = root.GetProperty("training").GetBoolean();
        float? momentum = root.GetProperty("momentum").ValueKind == System.Text.Json.JsonValueKind.Null ? null : root.GetProperty("momentum").GetSingle();
        var eps = root.GetProperty("eps").GetSingle();
        var tracked = root.GetProperty("numBatchesTracked").GetInt64();
        var steps = root.GetProperty("steps").GetInt32();
        Tensor? x = null, y = null;
        for (var step = 0; step < steps; step++)
        {
            x = r.Input($"x{step}");
            y = O.BatchNorm(x, rm, rv, w, b, training, momentum, eps, ref tracked);
        }
        r.AssertOutputAndGradients(y!, PyTorchTolerance, ("x", x), ("weight", w), ("bias", b));
        OpReference.AssertScaled("running_mean", r.Values("runningMeanAfter"), rm.ToArray(), PyTorchTolerance);
        OpReference.AssertScaled("running_var", r.Values("runningVarAfter"), rv.ToArray(), PyTorchTolerance);
        Assert.Equal(root.GetProperty("numBatchesTrackedAfter").GetInt64(), tracked);
    }

    private static Tensor? OptionalInput(OpReference r, string key) => r.Root.TryGetProperty(key, out _) ? r.Input(key) : null;
}
