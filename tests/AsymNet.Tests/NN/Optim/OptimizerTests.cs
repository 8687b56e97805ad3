using AsymNet.NN.Asymmetry;
using AsymNet.NN.Layers;
using AsymNet.NN.Optim;
using AsymNet.Tensors.Ops;
using AsymNet.Tensors;
using AsymNet.Tests.Support;

namespace AsymNet.Tests.NN.Optim;

[Collection(AllocationMeasurement.Name)]
public sealed class OptimizerTests
{
    private static WAsymLinear Layer() =>
        new(12, 6, LayerAsymmetry.Entries("lin", 5, 0.5), architectureSeed: 4, layerName: "lin", rng: new Rng(1));

    /// <summary>Runs real forward/backward passes (so the layer's gradient hook runs) and optimizer steps.</summary>
    private static void Train(WAsymLinear layer, Optimizer opt, int steps)
    {
        var rng = new Rng(5);
        for (var s = 0; s < steps; s++)
        {
            using var scope = TensorScope.Begin();
            var x = Tensor.Empty(4, 12);
            rng.FillNormal(x.Span);
            opt.ZeroGrad();
            var y = layer.Forward(x);
            Ops.Sum(Ops.Mul(y, y)).Backward();
            opt.Step();
        }
    }

    public static TheoryData<string> Kinds() => ["sgd", "sgd-nesterov", "adam", "adamw"];

    private static Optimizer Make(string kind, List<OptimParameter> ps) => kind switch
    {
        "sgd" => new Sgd(ps, 0.05, momentum: 0.9, weightDecay: 0.1),
        "sgd-nesterov" => new Sgd(ps, 0.05, momentum: 0.9, nesterov: true, weightDecay: 0.1),
        "adam" => new Adam(ps, 0.01, weightDecay: 0.1),
        _ => new AdamW(ps, 0.01, weightDecay: 0.1),
    };

    [Theory]
    [MemberData(nameof(Kinds))]
    public void FixedEntriesOfWAsymWeightsNeverChangeEvenUnderWeightDecay(string kind)
    {
        var layer = Layer();
        var ps = OptimParameter.From(layer);
        Assert.Same(layer.Fixed!.Mask, ps.Single(p => p.Name == "weight").TrainableMask);
        Assert.Null(ps.Single(p => p.Name == "bias").TrainableMask);
        var before = layer.Weight.ToArray();
        Train(layer, Make(kind, ps), 5);
        var after = layer.Weight.ToArray();
        var mask = layer.Fixed!.Mask.ToArray();
        int changed = 0;
        for (var i = 0; i < mask.Length; i++)
        {
            if (mask[i] == 0f) Assert.Equal(BitConverter.SingleToInt32Bits(before[i]), BitConverter.SingleToInt32Bits(after[i]));
            else if (before[i] != after[i]) changed++;
        }
        Assert.Equal(mask.Count(m => m == 1f), changed);
        // The stored weight still equals the effective weight W' (κF in the fixed entries).
        using var scope = TensorScope.Begin();
        Assert.Equal(layer.EffectiveWeight().ToArray(), after);
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void AnAllOnesMaskUpdatesBitForBitLikeNoMask(string kind)
    {
        var init = new float[40];
        new Rng(3).FillNormal(init);
        var grads = Enumerable.Range(0, 4).Select(s => { var g = new float[40]; new Rng((ulong)(10 + s)).FillNormal(g); return g; }).ToArray();
        float[] Run(bool masked)
        {
            var t = Tensor.FromArray((float[])init.Clone(), 40);
            t.RequiresGrad = true;
            var opt = Make(kind, [new OptimParameter("p", t, masked ? Tensor.FromArray(Enumerable.Repeat(1f, 40).ToArray(), 40) : null)]);
            foreach (var g in grads)
            {
                t.Grad = Tensor.FromArray((float[])g.Clone(), 40);
                opt.Step();
            }
            return t.ToArray();
        }
        Assert.Equal(Run(false), Run(true));
    }

    [Fact]
    public void ParametersWithoutGradientAreSkipped()
    {
        var a = Tensor.FromArray([1f, 2f], 2);
        var b = Tensor.FromArray([3f, 4f], 2);
        a.RequiresGrad = b.RequiresGrad = true;
        a.Grad = Tensor.FromArray([1f, 1f], 2);
        var opt = new AdamW(OptimParameter.Of(a, b), 0.1, weightDecay: 0.5);
        opt.Step();
        Assert.Equal([3f, 4f], b.ToArray());
        Assert.NotEqual([1f, 2f], a.ToArray());
        Assert.Equal(1, opt.StepCount);
    }

    [Fact]
    public void InvalidSettingsAreRejected()
    {
        var p = OptimParameter.Of(Tensor.FromArray([1f], 1));
        Assert.Throws<ArgumentException>(() => new Sgd(p, 0.1, momentum: 0, nesterov: true));
        Assert.Throws<ArgumentException>(() => new Sgd(p, 0.1, momentum: 0.9, dampening: 0.1, nesterov: true));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Adam(p, -1));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Adam(p, 1e-3, beta1: 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => new AdamW(p, 1e-3, weightDecay: double.NaN));
    }

    [Fact]
    public void StepAllocatesNothingAfterTheFirst()
    {
        var layer = Layer();
        var opt = new AdamW(OptimParameter.From(layer), 1e-3);
        foreach (var p in opt.Parameters) p.Value.Grad = Tensor.Persistent(p.Value.Shape);
        opt.Step();
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 10; i++) opt.Step();
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }
}
