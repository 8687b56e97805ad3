using AsymNet.Tensors;
using AsymNet.Tests.Support;
using O = AsymNet.Tensors.Ops.Ops;

namespace AsymNet.Tests.Tensors;

/// <summary>Softmax, log-softmax and the losses built on them, against float64 references and PyTorch.</summary>
public class SoftmaxLossTests
{
    /// <summary>float64 softmax or log-softmax of x along dim.</summary>
    private static double[] Reference(Tensor x, int dim, bool log)
    {
        var shape = x.Shape;
        int outer = shape[..dim].Aggregate(1, (p, d) => p * d), size = shape[dim], inner = shape[(dim + 1)..].Aggregate(1, (p, d) => p * d);
        var y = new double[x.Length];
        for (var o = 0; o < outer; o++)
        for (var i = 0; i < inner; i++)
        {
            var at = Enumerable.Range(0, size).Select(d => (o * size + d) * inner + i).ToArray();
            var m = at.Max(j => (double)x.Span[j]);
            var logSum = Math.Log(at.Sum(j => Math.Exp(x.Span[j] - m)));
            foreach (var j in at) y[j] = log ? x.Span[j] - m - logSum : Math.Exp(x.Span[j] - m - logSum);
        }
        return y;
    }

    private static Tensor Apply(Tensor x, int dim, bool log) => log ? O.LogSoftmax(x, dim) : O.Softmax(x, dim);

    public static TheoryData<int, bool> AxisCases()
    {
        var data = new TheoryData<int, bool>();
        foreach (var dim in new[] { 0, 1, 2, -1 })
            foreach (var log in new[] { false, true })
                data.Add(dim, log);
        return data;
    }

    [Theory]
    [MemberData(nameof(AxisCases))]
    public void AlongEveryAxisMatchesReferenceAndGradientsCheck(int dim, bool log)
    {
        var x = GradCheck.Random(new Rng(51), -3, 3, 3, 4, 5);
        var want = Reference(x, dim < 0 ? dim + 3 : dim, log);
        var y = Apply(x, dim, log);
        for (var i = 0; i < want.Length; i++) Assert.Equal(want[i], y.Span[i], 2e-6);
        GradCheck.Check(t => Apply(t[0], dim, log), [x]);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void ContiguousRowsOfEveryTailLengthMatchFloat64ForwardAndBackward(bool log)
    {
        var rng = new Rng(52);
        for (var n = 1; n <= 65; n++)
        {
            var x = GradCheck.Random(rng, -4, 4, 2, n);
            x.RequiresGrad = true;
            var g = GradCheck.Random(rng, -1, 1, 2, n);
            var y = Apply(x, -1, log);
            O.Sum(O.Mul(y, g)).Backward();
            var want = Reference(x, 1, log);
            for (var r = 0; r < 2; r++)
            {
                // Vector-Jacobian products: softmax y·(g − Σg·y); log-softmax g − softmax·Σg.
                var row = Enumerable.Range(r * n, n).ToArray();
                var p = row.Select(j => log ? Math.Exp(want[j]) : want[j]).ToArray();
                var dot = row.Select((j, k) => g.Span[j] * (log ? 1.0 : p[k])).Sum();
                for (var k = 0; k < n; k++)
                {
                    var j = row[k];
                    Assert.Equal(want[j], y.Span[j], 2e-6);
                    var gx = log ? g.Span[j] - p[k] * dot : p[k] * (g.Span[j] - dot);
                    Assert.Equal(gx, x.Grad!.Span[j], 2e-6);
                }
            }
        }
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(0)]
    public void HugeLogitsStayFinite(int dim)
    {
        // exp(1000) overflows float and double alike; subtracting the maximum first keeps everything finite.
        float[] values = [-1000f, 0f, 1000f, 999f, 1e4f, -1e4f, 5f, 5f];
        var x = Tensor.FromArray(dim == 0 ? [.. values.Chunk(2).Select(c => c[0]), .. values.Chunk(2).Select(c => c[1])] : values, dim == 0 ? [2, 4] : [4, 2]);
        var sm = O.Softmax(x, dim);
        var lsm = O.LogSoftmax(x, dim);
        Assert.All(sm.ToArray(), v => Assert.True(float.IsFinite(v)));
        Assert.All(lsm.ToArray(), v => Assert.True(float.IsFinite(v)));
        var d = dim < 0 ? 1 : 0;
        var (wantSm, wantLsm) = (Reference(x, d, false), Reference(x, d, true));
        for (var i = 0; i < x.Length; i++)
        {
            Assert.Equal(wantSm[i], sm.Span[i], 1e-6);
            Assert.Equal(wantLsm[i], lsm.Span[i], Math.Max(1e-6, 1e-7 * Math.Abs(wantLsm[i])));
        }
    }

    [Theory]
    [InlineData("softmax_last", false)]
    [InlineData("softmax_middle", false)]
    [InlineData("log_softmax_last", true)]
    [InlineData("log_softmax_first", true)]
    public void MatchesPyTorch(string name, bool log)
    {
        var r = OpReference.Load(name);
        var x = r.Input("x");
        r.AssertOutputAndGradients(Apply(x, r.Root.GetProperty("dim").GetInt32(), log), 1e-5, ("x", x));
    }

    /// <summary>float64 cross-entropy with label smoothing ε: mean over rows of (1 − ε)·nll + ε·mean_c(−log p_c).</summary>
    private static double CrossEntropyReference(Tensor logits, int[] targets, double eps)
    {
        var (n, c) = (logits.Shape[0], logits.Shape[1]);
        var lp = Reference(logits, 1, true);
        var total = 0.0;
        for (var i = 0; i < n; i++)
            total += (1 - eps) * -lp[i * c + targets[i]] + eps * -Enumerable.Range(0, c).Average(k => lp[i * c + k]);
        return total / n;
    }

    [Theory]
    [InlineData(0f)]
    [InlineData(0.1f)]
    [InlineData(1f)]
    public void CrossEntropyMatchesReferenceAndGradientsCheck(float smoothing)
    {
        var x = GradCheck.Random(new Rng(53), -3, 3, 5, 7);
        int[] targets = [0, 6, 3, 3, 1];
        Assert.Equal(CrossEntropyReference(x, targets, smoothing), O.CrossEntropy(x, targets, smoothing).Item(), 2e-6);
        GradCheck.Check(t => O.CrossEntropy(t[0], targets, smoothing), [x]);
    }

    [Theory]
    [InlineData("cross_entropy_smoothing")]
    [InlineData("cross_entropy_plain")]
    public void CrossEntropyMatchesPyTorch(string name)
    {
        var r = OpReference.Load(name);
        var x = r.Input("x");
        var targets = ReferenceJson.Ints(r.Root.GetProperty("targets"));
        var loss = O.CrossEntropy(x, targets, r.Root.GetProperty("labelSmoothing").GetSingle());
        var want = r.Root.GetProperty("loss").GetDouble();
        Assert.Equal(want, loss.Item(), 1e-5 * Math.Max(1, Math.Abs(want)));
        loss.Backward();
        OpReference.AssertScaled("grad.x", r.Values("grad.x"), x.Grad!.ToArray(), 1e-5);
    }

    [Fact]
    public void NllLossPicksTheTargetLogProbabilitiesAndGradientsCheck()
    {
        var x = GradCheck.Random(new Rng(54), -3, 3, 4, 6);
        int[] targets = [5, 0, 2, 2];
        var lp = O.LogSoftmax(x, 1);
        var want = -targets.Select((t, i) => (double)lp.Span[i * 6 + t]).Average();
        Assert.Equal(want, O.NllLoss(lp, targets).Item(), 1e-6);
        // NLL of log-softmax is cross-entropy.
        Assert.Equal(O.CrossEntropy(x, targets).Item(), O.NllLoss(lp, targets).Item(), 1e-6);
        GradCheck.Check(t => O.NllLoss(t[0], targets), [GradCheck.Random(new Rng(55), -3, 0, 4, 6)]);
        GradCheck.Check(t => O.NllLoss(O.LogSoftmax(t[0], 1), targets), [x]);
    }

    [Fact]
    public void MseLossIsTheMeanSquareAndGradientsCheckForBothArguments()
    {
        var rng = new Rng(56);
        var p = GradCheck.Random(rng, -2, 2, 3, 5);
        var t = GradCheck.Random(rng, -2, 2, 3, 5);
        var want = p.ToArray().Zip(t.ToArray(), (a, b) => (double)(a - b) * (a - b)).Average();
        Assert.Equal(want, O.MseLoss(p, t).Item(), 1e-6);
        GradCheck.Check(x => O.MseLoss(x[0], x[1]), [p, t]);
    }

    [Fact]
    public void BadTargetsAndShapesAreReported()
    {
        var x = Tensor.Persistent(2, 3);
        Assert.Contains("outside [0, 3)", Assert.Throws<ArgumentOutOfRangeException>(() => O.CrossEntropy(x, [0, 3])).Message);
        Assert.Contains("outside [0, 3)", Assert.Throws<ArgumentOutOfRangeException>(() => O.NllLoss(x, [-1, 0])).Message);
        Assert.Contains("3 targets for 2 rows", Assert.Throws<ArgumentException>(() => O.CrossEntropy(x, [0, 1, 2])).Message);
        Assert.Throws<ArgumentException>(() => O.CrossEntropy(Tensor.Persistent(2, 3, 1), [0, 1]));
        Assert.Throws<ArgumentOutOfRangeException>(() => O.CrossEntropy(x, [0, 1], 1.5f));
        Assert.Throws<ArgumentException>(() => O.MseLoss(x, Tensor.Persistent(3, 2)));
    }
}
