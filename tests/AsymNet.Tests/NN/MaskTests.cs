using AsymNet.NN;
using AsymNet.NN.Asymmetry;
using AsymNet.NN.Layers;
using AsymNet.NN.Models;
using AsymNet.Tensors;

namespace AsymNet.Tests.NN;

public class MaskTests
{
    private static IEnumerable<(string Name, FixedWeights Fixed)> FixedLayers(Model model) => model.FixedLayers();

    private static Dictionary<string, float[]> Buffers(Module model) =>
        model.NamedBuffers().ToDictionary(b => b.Name, b => b.Value.ToArray());

    [Theory]
    [InlineData("mlp", "w")]
    [InlineData("resnet8", "w")]
    [InlineData("resnet20", "sigma")]
    [InlineData("gnn", "w")]
    public void MasksAndFDependOnlyOnTheArchitectureSeed(string preset, string variant)
    {
        var config = ModelFactory.Preset(preset, variant, architectureSeed: 42);
        var a = ModelFactory.Create(config, initSeed: 1);
        var b = ModelFactory.Create(config, initSeed: 2);
        var c = ModelFactory.Create(config with { ArchitectureSeed = 43 }, initSeed: 1);
        Assert.Equal(Buffers(a), Buffers(b));
        Assert.NotEqual(Buffers(a).Values.SelectMany(v => v), Buffers(c).Values.SelectMany(v => v));
        Assert.NotEqual(a.Parameters().SelectMany(p => p.ToArray()), b.Parameters().SelectMany(p => p.ToArray()));
        Assert.Equal(a.FixedStateHash(), b.FixedStateHash());
        Assert.NotEqual(a.FixedStateHash(), c.FixedStateHash());
    }

    [Fact]
    public void EachRowFixesExactlyNfixEntriesAndRowsAreDistinct()
    {
        var model = ModelFactory.Create(ModelFactory.Preset("mlp", "w"), 1);
        int[] nfix = [64, 64, 64, 256];
        var layers = FixedLayers(model).ToList();
        Assert.Equal(4, layers.Count);
        for (var l = 0; l < 4; l++)
        {
            var mask = layers[l].Fixed.Mask;
            var rowLength = mask.Shape[1];
            for (var r = 0; r < mask.Shape[0]; r++)
                Assert.Equal(nfix[l], mask.Span.Slice(r * rowLength, rowLength).ToArray().Count(v => v == 0f));
            Assert.True(layers[l].Fixed.Report.RowsDistinct);
            Assert.True(layers[l].Fixed.CurrentRowsDistinct());
        }
    }

    [Theory]
    [InlineData("mlp")]
    [InlineData("bnn-mlp8")]
    [InlineData("resnet20")]
    [InlineData("resnet8")]
    [InlineData("gnn")]
    [InlineData("resnet20x8")]
    public void RowsAreDistinctExceptFullyFixedStems(string preset)
    {
        var model = SharedModels.Get(preset, "w");
        foreach (var (name, f) in FixedLayers(model))
        {
            var fullyFixedStem = name == "conv1" && preset is "resnet8" or "resnet20x8";
            Assert.Equal(!fullyFixedStem, f.Report.RowsDistinct);
            Assert.Equal(!fullyFixedStem, f.CurrentRowsDistinct());
            if (fullyFixedStem) Assert.Contains("fully fixed", f.Report.Note);
        }
    }

    [Fact]
    public void FixedInputFiltersFixWholeKernelSlices()
    {
        var spec = LayerAsymmetry.InputFilters("c", 3, 2.0);
        var (mask, report) = MaskBuilder.Build([8, 5, 3, 3], spec.Kind, spec.Nfix, new Rng(1));
        var m = mask.Span;
        for (var o = 0; o < 8; o++)
        {
            var fixedChannels = 0;
            for (var i = 0; i < 5; i++)
            {
                var slice = m.Slice((o * 5 + i) * 9, 9).ToArray();
                Assert.True(slice.All(v => v == 0f) || slice.All(v => v == 1f));
                if (slice[0] == 0f) fixedChannels++;
            }
            Assert.Equal(3, fixedChannels);
        }
        Assert.Equal(27, report.FixedPerRow);
        Assert.True(report.RowsDistinct);
    }

    [Fact]
    public void RowsCollidingWhenFewPatternsExistAreResampledUntilDistinct()
    {
        // C(6, 3) = 20 patterns for 20 rows: plain sampling would almost surely repeat one.
        var (mask, report) = MaskBuilder.Build([20, 6], AsymmetryKind.FixedEntries, 3, new Rng(5));
        Assert.True(report.RowsDistinct);
        Assert.Equal(20, MaskBuilder.CountDistinctRows(mask.Span, 20, 6));
    }

    [Fact]
    public void TooFewPatternsAreReportedNotHidden()
    {
        var (_, report) = MaskBuilder.Build([16, 3, 1, 1], AsymmetryKind.FixedInputFilters, 1, new Rng(5));
        Assert.False(report.RowsDistinct);
        Assert.Contains("only 3 distinct patterns", report.Note);
    }

    [Fact]
    public void NfixBeyondTheRowFixesTheWholeRow()
    {
        var model = SharedModels.Get("resnet20x8", "w");
        var stem = (WAsymConv2d)model.NamedModules().Single(m => m.Name == "conv1").Module;
        Assert.Equal(36, stem.Fixed!.Spec.Nfix);
        Assert.True(stem.Fixed!.Mask.Span.ToArray().All(v => v == 0f));
        Assert.Equal(128 * 27, stem.Fixed!.FixedCount());
    }

    [Fact]
    public void RawWeightHoldsKappaFAtFixedEntries()
    {
        var model = ModelFactory.Create(ModelFactory.Preset("mlp", "w"), 7);
        var lin = (WAsymLinear)((Mlp)model).Lins[2];
        var w = lin.Weight.Span;
        var m = lin.Fixed!.Mask.Span;
        var f = lin.Fixed!.F.Span;
        for (var i = 0; i < w.Length; i++)
            if (m[i] == 0f) Assert.Equal(0.5f * f[i], w[i]);
    }

    [Fact]
    public void FStatisticsAreStandardNormal()
    {
        var model = ModelFactory.Create(ModelFactory.Preset("mlp", "w"), 1);
        var f = FixedLayers(model).First().Fixed.F.ToArray();
        var mean = f.Average();
        var std = Math.Sqrt(f.Average(v => (v - mean) * (v - mean)));
        Assert.InRange(mean, -0.01, 0.01);
        Assert.InRange(std, 0.99, 1.01);
    }
}
