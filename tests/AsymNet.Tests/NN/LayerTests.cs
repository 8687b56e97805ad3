using AsymNet.NN;
using AsymNet.NN.Asymmetry;
using AsymNet.NN.Layers;
using AsymNet.NN.Models;
using AsymNet.Tensors;
using AsymNet.Tensors.Ops;

namespace AsymNet.Tests.NN;

public class LayerTests
{
    [Fact]
    public void LinearUsesPyTorchsDefaultInit()
    {
        var lin = new Linear(400, 300, new Rng(1));
        var bound = 1 / MathF.Sqrt(400);
        Assert.All(lin.Weight.ToArray(), v => Assert.InRange(v, -bound, bound));
        Assert.All(lin.Bias!.ToArray(), v => Assert.InRange(v, -bound, bound));
        var w = lin.Weight.ToArray();
        var var = w.Average(v => (double)v * v);
        Assert.Equal(bound * bound / 3, var, 0.05 * bound * bound / 3); // U(±b) has variance b²/3
    }

    [Fact]
    public void KaimingNormalHasStdSqrtTwoOverFanIn()
    {
        var conv = new Conv2d(64, 128, 3, new Rng(2), init: WeightInit.KaimingNormal);
        var w = conv.Weight.ToArray();
        var std = Math.Sqrt(w.Average(v => (double)v * v));
        Assert.Equal(Math.Sqrt(2.0 / (64 * 9)), std, 0.02 * Math.Sqrt(2.0 / (64 * 9)));
        Assert.Null(conv.Bias);
    }

    [Fact]
    public void NormsStartAtIdentityAffine()
    {
        foreach (var norm in new Module[] { new LayerNorm(5), new GroupNorm(1, 5), new BatchNorm2d(5) })
        {
            var sd = norm.StateDict().ToDictionary(kv => kv.Key, kv => kv.Value.ToArray());
            Assert.All(sd["weight"], v => Assert.Equal(1f, v));
            Assert.All(sd["bias"], v => Assert.Equal(0f, v));
        }
    }

    [Fact]
    public void BatchNormHasPyTorchsBuffers()
    {
        var bn = new BatchNorm1d(4, momentum: null);
        Assert.Equal(["weight", "bias", "running_mean", "running_var", "num_batches_tracked"], bn.StateDict().Select(kv => kv.Key));
        Assert.Null(bn.Momentum);
        Assert.Equal(new float[] { 1, 1, 1, 1 }, bn.RunningVar.ToArray());
        Assert.Empty(bn.NumBatchesTrackedBuffer.Shape);
        Assert.Equal(8, bn.TotalParameterCount());
    }

    [Fact]
    public void LoadingRestoresTheBatchCount()
    {
        var bn = new BatchNorm1d(2);
        var state = bn.StateDict().ToDictionary(kv => kv.Key, kv => kv.Value.Clone());
        state["num_batches_tracked"].Span[0] = 17;
        bn.LoadStateDict(state);
        Assert.Equal(17, bn.NumBatchesTracked);
    }

    [Fact]
    public void LoadedMasksReplaceTheBuiltOnesAndRefreshTheRawWeight()
    {
        var model = ModelFactory.Create(ModelFactory.Preset("mlp", "w"), 1);
        var state = model.StateDict().ToDictionary(kv => kv.Key, kv => kv.Value.Clone());
        state["lins.3.mask"].Span.Fill(1f);
        state["lins.3.mask"].Span[0] = 0f;
        state["lins.3.normal_mask"].Span[0] = 8f;
        model.LoadStateDict(state);
        Assert.Equal(3 * 512 * 64 + 1, model.FixedParameterCount());
        Assert.Equal(0.25f * 8f, model.StateDict().Single(kv => kv.Key == "lins.3.weight").Value.Span[0]);
    }

    [Fact]
    public void ModuleListHasNoForward() =>
        Assert.Throws<NotSupportedException>(() => new ModuleList<Linear>().Forward(Tensor.Persistent(1, 1)));

    [Fact]
    public void GnnForwardTakesItsGraph()
    {
        var gnn = ModelFactory.Create(ModelFactory.Preset("gnn", "standard"), 1);
        var x = Tensor.Persistent(3, 128);
        var triangle = new CsrAdjacency([0, 2, 4, 6], [1, 2, 0, 2, 0, 1]);
        Assert.Throws<NotSupportedException>(() => gnn.Forward(x));
        using (TensorScope.Begin())
            Assert.Equal([3, gnn.Config.Classes], new ModelInput(x, triangle).Through(gnn).Shape.ToArray());
        Assert.Throws<ArgumentException>(() => ((IGraphModel)gnn).Forward(Tensor.Persistent(4, 128), triangle));
        var mlp = ModelFactory.Create(ModelFactory.Preset("mlp", "standard"), 1);
        Assert.Throws<ArgumentException>(() => new ModelInput(Tensor.Persistent(3, 1, 28, 28), triangle).Through(mlp));
    }

    [Fact]
    public void FixedEntriesReceiveNoGradient()
    {
        var model = ModelFactory.Create(ModelFactory.Preset("mlp", "w"), 1);
        var x = Tensor.Persistent(3, 1, 28, 28);
        new Rng(2).FillNormal(x.Span);
        using (TensorScope.Begin())
            Ops.CrossEntropy(model.Forward(x), [1, 2, 3]).Backward();
        foreach (var (name, f) in model.FixedLayers())
        {
            var grad = model.NamedParameters().Single(p => p.Name == name + ".weight").Value.Grad!.Span;
            var mask = f.Mask.Span;
            int trainable = 0, trainableNonZero = 0;
            for (var i = 0; i < grad.Length; i++)
            {
                if (mask[i] == 0f) Assert.Equal(0f, grad[i]);
                else
                {
                    trainable++;
                    if (grad[i] != 0f) trainableNonZero++;
                }
            }
            Assert.True(trainableNonZero > trainable / 2, $"{name}: trainable entries got no gradient.");
        }
    }

    [Fact]
    public void FixedEntriesStayExcludedEvenWhenWIsUsedDirectly()
    {
        // The hook masks every gradient reaching W, not only the one through W' (e.g. a penalty on W itself).
        var lin = new WAsymLinear(6, 4, LayerAsymmetry.Entries("l", 2, 1.0), 1, "l", new Rng(1));
        using (TensorScope.Begin())
            Ops.Sum(Ops.Mul(lin.Weight, lin.Weight)).Backward();
        var grad = lin.Weight.Grad!.Span;
        for (var i = 0; i < grad.Length; i++)
            if (lin.Fixed!.Mask.Span[i] == 0f) Assert.Equal(0f, grad[i]);
    }

    [Fact]
    public void EffectiveStateDictHoldsKappaFAtFixedEntriesWhateverTheRawWeightSays()
    {
        var model = ModelFactory.Create(ModelFactory.Preset("mlp", "w"), 1);
        var lin = (WAsymLinear)((Mlp)model).Lins[0];
        var i = lin.Fixed!.Mask.ToArray().ToList().IndexOf(0f);
        lin.Weight.Span[i] = 123f; // e.g. moved by decoupled weight decay
        var effective = model.EffectiveStateDict().ToDictionary(kv => kv.Key, kv => kv.Value);
        Assert.Equal(lin.Fixed!.F.Span[i] * 1f, effective["lins.0.weight"].Span[i]);
        Assert.Equal(123f, lin.Weight.Span[i]);
        Assert.Same(model.StateDict()[1].Value, effective["lins.0.bias"]);
    }
}
