using AsymNet.Bayes;
using AsymNet.NN.Asymmetry;
using AsymNet.NN.Layers;
using AsymNet.Tensors;
using AsymNet.Tensors.Ops;
using AsymNet.Tests.Support;

namespace AsymNet.Tests.Bayes;

public class ElrgLayerTests
{
    private static readonly ElrgOptions Learned = new() { Rank = 2, InitLogVariance = -2, LearnDiagonal = true, PriorPrecision = 0.5 };

    private static Linear MakeLinear(bool wAsym, int inF = 4, int outF = 3) =>
        wAsym
            ? new WAsymLinear(inF, outF, LayerAsymmetry.Entries("l", 2, 0.5), 11, "l", new Rng(1))
            : new Linear(inF, outF, new Rng(1));

    private static Conv2d MakeConv(bool wAsym, int stride) =>
        wAsym
            ? new WAsymConv2d(2, 3, 3, LayerAsymmetry.Entries("c", 5, 0.5), 11, "c", new Rng(2), stride, 1)
            : new Conv2d(2, 3, 3, new Rng(2), stride, 1, bias: true);

    /// <summary>Random V and log s (fixed entries included: they must not matter).</summary>
    private static void Randomize(ElrgPosterior p, ulong seed, float logLo = -3f, float logHi = -1f)
    {
        var rng = new Rng(seed);
        if (p.VWeight is { } vw) rng.FillUniform(vw.Span, -0.5f, 0.5f);
        if (p.VBias is { } vb) rng.FillUniform(vb.Span, -0.5f, 0.5f);
        if (p.LogSWeight is { } lw) rng.FillUniform(lw.Span, logLo, logHi);
        if (p.LogSBias is { } lb) rng.FillUniform(lb.Span, logLo, logHi);
    }

    private static Tensor[] Trainables(ElrgPosterior p) =>
        new[] { p.Mean, p.MeanBias, p.VWeight, p.VBias, p.LogSWeight, p.LogSBias }.OfType<Tensor>().ToArray();

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void LinearGradientsWithNoiseHeldFixed(bool wAsym)
    {
        var linear = MakeLinear(wAsym);
        var noise = new NoiseSource(5);
        var p = new ElrgLinear("l", linear, Learned, noise);
        linear.Noise = p;
        Randomize(p, 3);
        var x = GradCheck.Random(new Rng(4), -1f, 1f, 5, 4);
        GradCheck.Check(_ => { noise.Reseed(9); return linear.Forward(x); }, [x, .. Trainables(p)], h: 1e-3, atol: 3e-3);
    }

    [Theory]
    [InlineData(false, 1)]
    [InlineData(true, 2)]
    public void ConvGradientsWithNoiseHeldFixed(bool wAsym, int stride)
    {
        var conv = MakeConv(wAsym, stride);
        var noise = new NoiseSource(5);
        var p = new ElrgConv2d("c", conv, Learned, noise);
        conv.Noise = p;
        Randomize(p, 3);
        var x = GradCheck.Random(new Rng(4), -1f, 1f, 2, 2, 4, 4);
        GradCheck.Check(_ => { noise.Reseed(9); return conv.Forward(x); }, [x, .. Trainables(p)], h: 1e-3, atol: 3e-3);
    }

    [Theory]
    [InlineData(false, true)]
    [InlineData(true, true)]
    [InlineData(true, false)]
    public void KlGradients(bool conv, bool learnDiagonal)
    {
        var options = Learned with { LearnDiagonal = learnDiagonal, Rank = 3 };
        ElrgPosterior p = conv
            ? new ElrgConv2d("c", MakeConv(true, 1), options, new NoiseSource(0))
            : new ElrgLinear("l", MakeLinear(false), options, new NoiseSource(0));
        Randomize(p, 8);
        GradCheck.Check(_ => p.Kl(), Trainables(p), h: 1e-3, atol: 2e-3, rtol: 1e-2);
    }

    /// <summary>The closed form (capacitance log-det, trainable entries only) against the d×d covariance in float64.</summary>
    [Theory]
    [InlineData(false, 2, true)]
    [InlineData(true, 2, true)]
    [InlineData(true, 4, false)]
    [InlineData(false, 0, true)]
    public void KlMatchesBruteForce(bool wAsym, int rank, bool learnDiagonal)
    {
        var options = Learned with { Rank = rank, LearnDiagonal = learnDiagonal };
        var linear = MakeLinear(wAsym);
        var p = new ElrgLinear("l", linear, options, new NoiseSource(0));
        Randomize(p, 21);
        var (mu, cov) = ExplicitPosterior(p);
        var sp = p.PriorVariance;
        Assert.Equal(1.0 / (0.5 * 3), sp, 12);
        var d = mu.Length;
        var logDet = CholeskyLogDet(cov);
        double trace = 0, mu2 = 0;
        for (var i = 0; i < d; i++) { trace += cov[i, i]; mu2 += mu[i] * mu[i]; }
        var expected = 0.5 * (trace / sp + mu2 / sp - d + d * Math.Log(sp) - logDet);
        Assert.Equal(expected, p.Kl().Item(), Math.Max(1e-4, 1e-5 * Math.Abs(expected)));
        Assert.Equal(d, p.RandomCount());
    }

    /// <summary>One example's output, sample by sample, equals an explicit weight sample W' + √α Σ_r ε_r V_r (masked)
    /// pushed through the plain op, plus the local-reparameterisation diagonal part: the conv layout is consistent.</summary>
    [Theory]
    [InlineData(false, 1)]
    [InlineData(true, 1)]
    [InlineData(true, 2)]
    public void ConvOutputEqualsExplicitPerExampleWeightSample(bool wAsym, int stride)
    {
        var conv = MakeConv(wAsym, stride);
        var p = new ElrgConv2d("c", conv, Learned with { Rank = 3 }, new NoiseSource(0));
        conv.Noise = p;
        Randomize(p, 13);
        var x = GradCheck.Random(new Rng(4), -1f, 1f, 3, 2, 5, 5);
        p.Noise.Reseed(77);
        var y = conv.Forward(x).ToArray();

        // Replay the draws: the diagonal ε (output-shaped), then ε [B, rank].
        var mean = Ops.Conv2d(x, conv.EffectiveWeight(), conv.Bias, conv.Stride, conv.Padding);
        var rng = new Rng(77);
        var epsDiag = new float[mean.Length];
        rng.FillNormal(epsDiag);
        var epsRank = new float[3 * 3];
        rng.FillNormal(epsRank);
        var (sw, sb) = p.DiagonalVariances();
        var variance = Ops.Conv2d(Ops.Mul(x, x), sw, sb, conv.Stride, conv.Padding).ToArray();
        var per = mean.Length / 3;
        var mask = p.Mask?.ToArray();
        for (var b = 0; b < 3; b++)
        {
            var w = conv.EffectiveWeight().ToArray();
            var bias = conv.Bias?.ToArray();
            var v = p.VWeight!.ToArray();
            for (var r = 0; r < 3; r++)
            {
                var e = (float)Math.Sqrt(1.0 / 3) * epsRank[b * 3 + r];
                for (var i = 0; i < w.Length; i++) w[i] += e * v[r * w.Length + i] * (mask?[i] ?? 1f);
                if (bias is not null) for (var o = 0; o < bias.Length; o++) bias[o] += e * p.VBias!.Span[r * bias.Length + o];
            }
            var xb = Tensor.FromArray(x.ToArray().AsSpan(b * 50, 50).ToArray(), 1, 2, 5, 5);
            var sample = Ops.Conv2d(xb, Tensor.FromArray(w, conv.Weight.Shape), bias is null ? null : Tensor.FromArray(bias, bias.Length), conv.Stride, conv.Padding).ToArray();
            for (var i = 0; i < per; i++)
            {
                var expected = sample[i] + MathF.Sqrt(variance[b * per + i]) * epsDiag[b * per + i];
                Assert.True(Math.Abs(expected - y[b * per + i]) < 2e-5 + 1e-5 * Math.Abs(expected), $"example {b} output {i}: {y[b * per + i]} vs {expected}");
            }
        }
    }

    /// <summary>Fixed entries carry no noise: their V and s do not reach the output, and their κF value is exact.</summary>
    [Fact]
    public void WAsymFixedEntriesAreExactInEverySample()
    {
        var linear = (WAsymLinear)MakeLinear(true);
        var p = new ElrgLinear("l", linear, Learned, new NoiseSource(0));
        linear.Noise = p;
        Randomize(p, 2);
        var x = GradCheck.Random(new Rng(4), -1f, 1f, 6, 4);
        p.Noise.Reseed(1);
        var before = linear.Forward(x).ToArray();
        var m = linear.Fixed!.Mask.Span;
        for (var i = 0; i < m.Length; i++)
            if (m[i] == 0f)
            {
                for (var r = 0; r < p.Rank; r++) p.VWeight!.Span[r * m.Length + i] += 3f;
                p.LogSWeight!.Span[i] += 2f;
            }
        p.Noise.Reseed(1);
        Assert.Equal(before, linear.Forward(x).ToArray());
        var (sw, _) = p.DiagonalVariances();
        for (var i = 0; i < m.Length; i++) if (m[i] == 0f) Assert.Equal(0f, sw.Span[i]);
    }

    /// <summary>Over many samples the output covariance for one input is J(diag(s) + αVᵀV)Jᵀ (J: the input's linear map).</summary>
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void SampledCovarianceMatchesPosterior(bool wAsym)
    {
        var linear = MakeLinear(wAsym);
        var p = new ElrgLinear("l", linear, Learned, new NoiseSource(3));
        linear.Noise = p;
        Randomize(p, 5);
        const int n = 40000;
        var x1 = new float[] { 0.7f, -1.1f, 0.4f, 1.3f };
        var x = Tensor.FromArray(Enumerable.Range(0, n).SelectMany(_ => x1).ToArray(), n, 4);
        float[] y;
        using (GradMode.NoGrad()) y = linear.Forward(x).ToArray();
        var (mu, cov) = ExplicitPosterior(p);
        // J: output o = Σ_i W[o,i] x_i + b[o]; θ = (W row-major, b).
        const int outs = 3;
        // Columns in ExplicitPosterior's order: trainable weight entries row-major, then the bias.
        var j = new double[outs, mu.Length];
        var col = 0;
        for (var i = 0; i < outs * 4; i++)
            if (p.Mask is null || p.Mask.Span[i] != 0f) j[i / 4, col++] = x1[i % 4];
        for (var o = 0; o < outs; o++) j[o, col++] = 1;
        var expectedMean = Ops.Linear(Tensor.FromArray(x1, 1, 4), linear.EffectiveWeight(), linear.Bias).ToArray();
        var means = Enumerable.Range(0, outs).Select(a => Enumerable.Range(0, n).Average(k => (double)y[k * outs + a])).ToArray();
        for (var a = 0; a < outs; a++)
        {
            Assert.True(Math.Abs(means[a] - expectedMean[a]) < 5 * Math.Sqrt(Cov(a, a) / n), $"mean[{a}]: sampled {means[a]}, μ {expectedMean[a]}");
            for (var b = 0; b < outs; b++)
            {
                var empirical = Enumerable.Range(0, n).Sum(k => (y[k * outs + a] - means[a]) * (y[k * outs + b] - means[b])) / (n - 1);
                var expected = Cov(a, b);
                // Standard error of a sample covariance: √((σ_aa σ_bb + σ_ab²)/n); 5 of them.
                var tol = 5 * Math.Sqrt((Cov(a, a) * Cov(b, b) + expected * expected) / n);
                Assert.True(Math.Abs(empirical - expected) < tol, $"cov[{a},{b}]: sampled {empirical}, posterior {expected} (tolerance {tol})");
            }
        }

        double Cov(int a, int b)
        {
            double e = 0;
            for (var u = 0; u < mu.Length; u++)
                for (var w = 0; w < mu.Length; w++) e += j[a, u] * cov[u, w] * j[b, w];
            return e;
        }
    }

    [Fact]
    public void RankZeroIsMeanFieldAndHasNoV()
    {
        var linear = MakeLinear(false);
        var p = new ElrgLinear("l", linear, Learned with { Rank = 0 }, new NoiseSource(0));
        Assert.Null(p.VWeight);
        Assert.Null(p.VBias);
        Assert.Equal(["log_s_weight", "log_s_bias"], p.NamedParameters().Select(q => q.Name));
    }

    /// <summary>μ and the d×d covariance diag(s) + αVᵀV over the trainable entries (weight row-major, then bias), float64.</summary>
    internal static (double[] Mu, double[,] Cov) ExplicitPosterior(ElrgPosterior p)
    {
        var free = new List<(double Mu, double S, double[] V)>();
        var (sw, sb) = p.DiagonalVariances();
        var n = p.Mean.Length;
        for (var i = 0; i < n; i++)
        {
            if (p.Mask is not null && p.Mask.Span[i] == 0f) continue;
            free.Add((p.Mean.Span[i], sw.Span[i], Enumerable.Range(0, p.Rank).Select(r => (double)p.VWeight!.Span[r * n + i]).ToArray()));
        }
        if (p.MeanBias is { } mb)
            for (var o = 0; o < mb.Length; o++)
                free.Add((mb.Span[o], sb!.Span[o], Enumerable.Range(0, p.Rank).Select(r => (double)p.VBias!.Span[r * mb.Length + o]).ToArray()));
        var d = free.Count;
        var cov = new double[d, d];
        for (var a = 0; a < d; a++)
            for (var b = 0; b < d; b++)
            {
                double c = a == b ? free[a].S : 0;
                for (var r = 0; r < p.Rank; r++) c += p.Options.Alpha * free[a].V[r] * free[b].V[r];
                cov[a, b] = c;
            }
        return (free.Select(f => f.Mu).ToArray(), cov);
    }

    private static double CholeskyLogDet(double[,] a)
    {
        var n = a.GetLength(0);
        var l = new double[n, n];
        double logDet = 0;
        for (var i = 0; i < n; i++)
            for (var j = 0; j <= i; j++)
            {
                var sum = a[i, j];
                for (var k = 0; k < j; k++) sum -= l[i, k] * l[j, k];
                if (i == j) { l[i, i] = Math.Sqrt(sum); logDet += 2 * Math.Log(l[i, i]); }
                else l[i, j] = sum / l[j, j];
            }
        return logDet;
    }
}
