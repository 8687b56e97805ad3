using AsymNet.NN.Models;
using AsymNet.Tensors;
using AsymNet.Tensors.Ops;

namespace AsymNet.Tests.NN;

/// <summary>The metanetworks of the paper's Table 3: parameter counts of Table 9, DMC's sequence lengths, DeepSets'
/// invariance, StatNN's input width.</summary>
public class MetanetModelTests
{
    private const int StandardInputs = 78_042;
    private const int WAsymInputs = 60_634;
    private const int ResNet8Tensors = 29;

    [Theory]
    [InlineData(MetanetKind.Mlp, StandardInputs, 4_994_945)]
    [InlineData(MetanetKind.Mlp, WAsymInputs, 3_880_833)]
    [InlineData(MetanetKind.Dmc, StandardInputs, 105_357)]
    [InlineData(MetanetKind.Dmc, WAsymInputs, 105_357)]
    [InlineData(MetanetKind.DeepSets, StandardInputs, 8_897)]
    [InlineData(MetanetKind.DeepSets, WAsymInputs, 8_897)]
    [InlineData(MetanetKind.StatNN, StandardInputs, 119_297)]
    [InlineData(MetanetKind.StatNN, WAsymInputs, 119_297)]
    public void ParameterCountsAreTable9s(MetanetKind kind, int inputs, long expected)
    {
        var model = ModelFactory.Create(MetanetPresets.Config(kind, inputs, ResNet8Tensors), 1);
        Assert.Equal(expected, model.TotalParameterCount());
    }

    [Theory]
    [InlineData(StandardInputs, 297)]
    [InlineData(WAsymInputs, 229)]
    public void DmcFinalSequenceLengthIsThePapers(int inputs, int length)
    {
        Assert.Equal(length, Dmc.SequenceLength(inputs, 64, 10));
        var dmc = (Dmc)ModelFactory.Create(MetanetPresets.Config(MetanetKind.Dmc, inputs, ResNet8Tensors), 2);
        dmc.Eval();
        using var noGrad = GradMode.NoGrad();
        var x = Tensor.Persistent(1, inputs);
        new Rng(3).FillNormal(x.Span);
        Assert.Equal(new[] { 1, 64, length }, dmc.Encode(x).Shape);
        Assert.Equal(new[] { 1, 1 }, dmc.Forward(x).Shape);
    }

    [Fact]
    public void DeepSetsIsInvariantToPermutingItsInput()
    {
        const int n = 300;
        var model = ModelFactory.Create(MetanetPresets.Config(MetanetKind.DeepSets, n, 3), 4);
        var x = Tensor.Persistent(2, n);
        new Rng(5).FillNormal(x.Span);
        var permuted = Tensor.Persistent(2, n);
        var perm = new Rng(6).Permutation(n);
        for (var b = 0; b < 2; b++)
            for (var i = 0; i < n; i++) permuted.Span[b * n + i] = x.Span[b * n + perm[i]];
        using var noGrad = GradMode.NoGrad();
        var a = model.Forward(x).Span.ToArray();
        var p = model.Forward(permuted).Span.ToArray();
        Assert.NotEqual(a[0], a[1]);
        for (var b = 0; b < 2; b++) Assert.Equal(a[b], p[b], 1e-5f);
        // Not a constant function: changing one number changes the output.
        permuted.Span[0] += 3f;
        Assert.NotEqual(p[0], model.Forward(permuted).Span[0]);
    }

    [Fact]
    public void MlpIsNotInvariantToPermutingItsInput()
    {
        const int n = 50;
        var model = ModelFactory.Create(MetanetPresets.Config(MetanetKind.Mlp, n, 3), 4);
        var x = Tensor.Persistent(1, n);
        new Rng(5).FillNormal(x.Span);
        var reversed = Tensor.FromArray(x.Span.ToArray().Reverse().ToArray(), 1, n);
        using var noGrad = GradMode.NoGrad();
        Assert.NotEqual(model.Forward(x).Span[0], model.Forward(reversed).Span[0]);
    }

    [Theory]
    [InlineData(MetanetKind.Mlp)]
    [InlineData(MetanetKind.Dmc)]
    [InlineData(MetanetKind.DeepSets)]
    [InlineData(MetanetKind.StatNN)]
    public void EveryMetanetTrainsItsParametersByBackprop(MetanetKind kind)
    {
        const int n = 3000;
        var config = MetanetPresets.Config(kind, n, 4);
        var model = ModelFactory.Create(config, 7);
        var x = Tensor.Persistent(4, config.InputShape[0]);
        new Rng(8).FillNormal(x.Span);
        var y = model.Forward(x);
        Assert.Equal(new[] { 4, 1 }, y.Shape);
        Ops.MseLoss(y, Tensor.FromArray([0.1f, 0.5f, 0.7f, 0.9f], 4, 1)).Backward();
        foreach (var (name, p) in model.NamedParameters())
            Assert.True(p.Grad is not null && p.Grad.Span.ToArray().Any(g => g != 0f), $"{kind}: no gradient reached {name}");
    }
}
