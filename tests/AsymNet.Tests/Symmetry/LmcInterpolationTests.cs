using AsymNet.NN.Models;
using AsymNet.Symmetry.Interpolation;
using AsymNet.Tensors;

namespace AsymNet.Tests.Symmetry;

/// <summary>State-dict interpolation, the λ grid and the barrier formulas.</summary>
public sealed class LmcInterpolationTests
{
    /// <summary>A small 3-layer MLP preset without norm (these tests need Linear and GELU only).</summary>
    private static ModelConfig Config(string variant, ulong archSeed = 7)
    {
        var c = ModelFactory.Preset("mlp", variant, architectureSeed: archSeed) with { Norm = NormKind.None, Width = 32, Depth = 3 };
        // The preset names four linear layers and three activations; keep those a depth-3 MLP has.
        var layers = new[] { "lins.0", "lins.1", "lins.2", "activations.0", "activations.1" };
        return c with { Asymmetry = [.. c.Asymmetry.Where(a => layers.Contains(a.Layer)).Select(a => a.Nfix > 0 ? a with { Nfix = 4 } : a)] };
    }

    private static Dictionary<string, float[]> Values(Model m) => m.StateDict().ToDictionary(kv => kv.Key, kv => kv.Value.ToArray());

    [Theory]
    [InlineData("standard")]
    [InlineData("w")]
    [InlineData("sigma")]
    public void EndpointsAreReproducedBitForBitAndTheMidpointIsTheMean(string variant)
    {
        var config = Config(variant);
        var a = ModelFactory.Create(config, 1);
        var b = ModelFactory.Create(config, 2);
        var work = ModelFactory.Create(config, 3);
        var interpolation = new StateInterpolation(a, b);

        interpolation.Apply(work, 0);
        Assert.Equal(Values(a), Values(work));
        interpolation.Apply(work, 1);
        Assert.Equal(Values(b), Values(work));

        interpolation.Apply(work, 0.5);
        var (va, vb, vm) = (Values(a), Values(b), Values(work));
        var fixedKeys = interpolation.FixedKeys.ToHashSet();
        Assert.Equal(variant != "standard", fixedKeys.Count > 0);
        foreach (var key in va.Keys)
            for (var i = 0; i < va[key].Length; i++)
                Assert.Equal(fixedKeys.Contains(key) ? va[key][i] : (float)(0.5 * va[key][i] + 0.5 * (double)vb[key][i]), vm[key][i]);
    }

    [Fact]
    public void InterpolationIsLinearInEveryTrainedEntry()
    {
        var config = Config("w");
        var a = ModelFactory.Create(config, 1);
        var b = ModelFactory.Create(config, 2);
        var work = ModelFactory.Create(config, 3);
        new StateInterpolation(a, b).Apply(work, 0.25);
        var w = work.StateDict().First(kv => kv.Key == "lins.1.weight").Value.ToArray();
        var wa = a.StateDict().First(kv => kv.Key == "lins.1.weight").Value.ToArray();
        var wb = b.StateDict().First(kv => kv.Key == "lins.1.weight").Value.ToArray();
        for (var i = 0; i < w.Length; i++) Assert.Equal(0.75 * wa[i] + 0.25 * wb[i], w[i], 1e-6);
        // Fixed entries hold κF in both endpoints, so they stay κF.
        var mask = work.StateDict().First(kv => kv.Key == "lins.1.mask").Value.ToArray();
        Assert.Contains(0f, mask);
        for (var i = 0; i < w.Length; i++)
            if (mask[i] == 0f) Assert.Equal(wa[i], w[i]);
    }

    [Theory]
    [InlineData("w")]
    [InlineData("sigma")]
    public void NetworksWithDifferentMasksOrFAreRejected(string variant)
    {
        var a = ModelFactory.Create(Config(variant, archSeed: 1), 1);
        var b = ModelFactory.Create(Config(variant, archSeed: 2), 2);
        var e = Assert.Throws<ArgumentException>(() => new StateInterpolation(a, b));
        Assert.Contains("do not share their fixed parts", e.Message);
        Assert.Contains(variant == "w" ? "lins.0.mask" : "activations.0.C", e.Message);
    }

    [Fact]
    public void DifferentArchitecturesAreRejectedNamingTheKeys()
    {
        var a = ModelFactory.Create(Config("standard"), 1);
        var b = ModelFactory.Create(Config("standard") with { Width = 16 }, 2);
        var e = Assert.Throws<ArgumentException>(() => new StateInterpolation(a, b));
        Assert.Contains("lins.0.weight", e.Message);
        var c = ModelFactory.Create(Config("w"), 2);
        Assert.Throws<ArgumentException>(() => new StateInterpolation(a, c));
    }

    [Fact]
    public void LambdaGridIsLinspaceWithTheMidpoint()
    {
        var grid = LmcCurve.Lambdas(25);
        Assert.Equal(25, grid.Length);
        Assert.Equal(0.5, grid[12]);
        Assert.Equal(1.0, grid[^1]);
        Assert.Equal(1.0 / 24, grid[1]);
        Assert.Equal([0, 1.0 / 3, 0.5, 2.0 / 3, 1], LmcCurve.Lambdas(4));
        Assert.Equal([0, 0.5, 1], LmcCurve.Lambdas(2));
        Assert.Throws<ArgumentOutOfRangeException>(() => LmcCurve.Lambdas(1));
    }

    [Fact]
    public void BarriersOnAHandExample()
    {
        // L: 1.0, 2.0, 1.5, 1.2, 0.6 at λ = 0, ¼, ½, ¾, 1; chord 1 − 0.4λ.
        var curve = new LmcCurve([
            new(0, 1.0, 0.9), new(0.25, 2.0, 0.5), new(0.5, 1.5, 0.6), new(0.75, 1.2, 0.7), new(1, 0.6, 0.95),
        ]);
        Assert.Equal(1.5 - 0.8, curve.MidpointBarrier, 12);
        Assert.Equal(2.0 - 0.9, curve.MaxBarrier, 12);
        Assert.Equal(2.0, curve.MaxLoss);
        Assert.Equal(0.925 - 0.6, curve.MidpointAccuracyDrop, 12);
        // A curve below its chord has a negative midpoint barrier and a zero max barrier (the endpoints).
        var convex = new LmcCurve([new(0, 1.0, 0.9), new(0.5, 0.7, 0.9), new(1, 1.0, 0.9)]);
        Assert.Equal(-0.3, convex.MidpointBarrier, 12);
        Assert.Equal(0, convex.MaxBarrier, 12);
    }

    [Fact]
    public void CurveEvaluatesEveryLambdaOnTheInterpolatedWeights()
    {
        var config = Config("standard");
        var a = ModelFactory.Create(config, 1);
        var b = ModelFactory.Create(config, 2);
        var work = ModelFactory.Create(config, 3);
        // A stand-in "loss": the first bias entry, which is linear in λ.
        static (double, double) Probe(Model m) => (m.StateDict().First(kv => kv.Key == "lins.0.bias").Value.Span[0], 0.5);
        var seen = new List<double>();
        var curve = LinearModeConnectivity.Curve(a, b, work, 5, Probe, onPoint: p => seen.Add(p.Lambda));
        Assert.Equal([0, 0.25, 0.5, 0.75, 1], seen);
        var (l0, l1) = (Probe(a).Item1, Probe(b).Item1);
        foreach (var p in curve.Points) Assert.Equal((1 - p.Lambda) * l0 + p.Lambda * l1, p.Loss, 6);
        Assert.Equal(0, curve.MidpointBarrier, 6);
        Assert.False(work.Training);
    }

    private static Tensor Batch(int n, ulong seed)
    {
        var x = Tensor.Persistent(n, 8);
        new Rng(seed).FillNormal(x.Span, 0.5f, 2f);
        return x;
    }

    [Fact]
    public void BatchNormReestimationReplacesRunningStatisticsByACumulativeAverage()
    {
        var config = new ModelConfig { InputShape = [8], Width = 16, Depth = 3, Norm = NormKind.Batch, Classes = 3 };
        var model = ModelFactory.Create(config, 1);
        var layers = BatchNormStatistics.Layers(model);
        Assert.Equal(2, layers.Count);
        float[] Stats() => layers.SelectMany(l => l.RunningMean.ToArray().Concat(l.RunningVar.ToArray())).ToArray();
        var initial = Stats();
        var (x1, x2) = (Batch(32, 1), Batch(32, 2));

        Assert.Equal(1, BatchNormStatistics.Reestimate(model, [x1]));
        var s1 = Stats();
        Assert.NotEqual(initial, s1);
        Assert.False(model.Training);
        Assert.All(layers, l => Assert.Equal(0.1f, l.Momentum));
        Assert.All(layers, l => Assert.Equal(1, l.NumBatchesTracked));
        // Statistics are reset first, so re-estimating on the same data gives the same values.
        BatchNormStatistics.Reestimate(model, [x1]);
        Assert.Equal(s1, Stats());
        BatchNormStatistics.Reestimate(model, [x2]);
        var s2 = Stats();
        // Two batches weigh the same: the mean of the one-batch estimates (the second layer's inputs depend on the
        // first layer's running statistics only in eval mode, which re-estimation does not use).
        BatchNormStatistics.Reestimate(model, [x1, x2]);
        var both = Stats();
        for (var i = 0; i < both.Length; i++) Assert.Equal(0.5 * (s1[i] + s2[i]), both[i], 4);
        Assert.Equal(0, BatchNormStatistics.Reestimate(ModelFactory.Create(Config("standard"), 1), [x1]));
    }

    [Fact]
    public void CurvesOfBatchNormModelsNeedStatisticsBatches()
    {
        var config = new ModelConfig { InputShape = [8], Width = 16, Depth = 3, Norm = NormKind.Batch, Classes = 3 };
        var (a, b, work) = (ModelFactory.Create(config, 1), ModelFactory.Create(config, 2), ModelFactory.Create(config, 3));
        static (double, double) Probe(Model m) => (m.StateDict().First(kv => kv.Key == "norms.0.running_mean").Value.Span[0], 0);
        Assert.Throws<ArgumentException>(() => LinearModeConnectivity.Curve(a, b, work, 3, Probe));
        var x = Batch(32, 3);
        var curve = LinearModeConnectivity.Curve(a, b, work, 3, Probe, () => [x]);
        // Re-estimated at every λ, endpoints included: the interpolated (default) statistics never survive.
        Assert.All(curve.Points, p => Assert.NotEqual(0.0, p.Loss));
    }

    [Fact]
    public void DistancePerParameterIsTheStateDictNormOverTrainableParameters()
    {
        var config = Config("w");
        var a = ModelFactory.Create(config, 1);
        var b = ModelFactory.Create(config, 2);
        Assert.Equal(0, ParameterDistance.PerParameter(a, a));
        var d = ParameterDistance.PerParameter(a, b);
        Assert.Equal(d, ParameterDistance.PerParameter(b, a), 15);
        // Only trainable entries differ (masks, F and the fixed entries κF are shared), so the sum runs over them.
        var (va, vb) = (Values(a), Values(b));
        var fixedMasks = a.FixedLayers().ToDictionary(f => f.Layer + ".weight", f => f.Fixed.Mask.ToArray());
        double sum = 0;
        foreach (var (key, x) in va)
            for (var i = 0; i < x.Length; i++)
                if (!fixedMasks.TryGetValue(key, out var m) || m[i] == 1f) sum += Math.Pow((double)x[i] - vb[key][i], 2);
        Assert.Equal(Math.Sqrt(sum) / a.TrainableParameterCount(), d, 12);
    }
}
