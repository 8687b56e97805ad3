using AsymNet.NN.Asymmetry;
using AsymNet.NN.Checkpoints;
using AsymNet.NN.Layers;
using AsymNet.NN.Models;
using AsymNet.Tests.Data;

namespace AsymNet.Tests.NN;

/// <summary>Asymmetry strength (paper Figure 6's axes): nfix multiplier, κ, FiGLU F std.</summary>
public class AsymmetryStrengthTests
{
    [Theory]
    [InlineData(0.0, 0)]
    [InlineData(0.25, 10_500)]
    [InlineData(0.5, 21_224)]
    [InlineData(0.75, 31_724)]
    [InlineData(1.0, 42_448)]
    public void ResNet20FixedCountsFollowTheNfixMultiplier(double multiplier, long fixedCount)
    {
        var config = ModelFactory.Preset("resnet20", "w", strength: new AsymmetryStrength { NfixMultiplier = multiplier });
        Assert.Equal(fixedCount, ModelFactory.Create(config, 1).FixedParameterCount());
    }

    /// <summary>The stem fixes 4 entries per input channel: 12 of 27 on CIFAR (Table 6), 4 of 9 on 1-channel images, so
    /// that a Fashion-MNIST stem keeps trainable entries (fully fixed, κ = 0 would make it all zeros).</summary>
    [Fact]
    public void ResNet20StemFixesFourEntriesPerInputChannel()
    {
        Assert.Equal(12, StemNfix(DatasetShape.Cifar10));
        Assert.Equal(4, StemNfix(DatasetShape.FashionMnist));
        var model = ModelFactory.Create(ModelFactory.Preset("resnet20", "w", DatasetShape.FashionMnist, strength: new AsymmetryStrength { Kappa = 0 }), 1);
        var stem = model.FixedLayers().Single(l => l.Layer == "conv1").Fixed;
        Assert.Equal(16 * 5, (int)stem.Mask.ToArray().Sum()); // 16 output channels × 5 trainable of 9
    }

    private static int StemNfix(DatasetShape data) =>
        ModelPresets.Get("resnet20", Variant.W, data, 0).Asymmetry.Single(a => a.Layer == "conv1").Nfix;

    [Fact]
    public void KappaZeroIsPlainSparsity()
    {
        var config = ModelFactory.Preset("resnet20", "w", strength: new AsymmetryStrength { Kappa = 0 });
        var model = ModelFactory.Create(config, 1);
        Assert.Equal(42_448, model.FixedParameterCount());
        var effective = model.EffectiveStateDict().ToDictionary(kv => kv.Key, kv => kv.Value);
        var checkedEntries = 0;
        foreach (var (layer, fixedWeights) in model.FixedLayers())
        {
            Assert.Equal(0f, fixedWeights.Kappa);
            var w = effective[layer + ".weight"].ToArray();
            var mask = fixedWeights.Mask.ToArray();
            for (var i = 0; i < w.Length; i++)
                if (mask[i] == 0f) { Assert.Equal(0f, w[i]); checkedEntries++; }
                else Assert.NotEqual(0f, w[i]);
        }
        Assert.Equal(42_448, checkedEntries);
    }

    [Fact]
    public void KappaSetsTheLargestAndKeepsTheTablesRatios()
    {
        var config = ModelFactory.Preset("mlp", "w", strength: new AsymmetryStrength { Kappa = 3 });
        Assert.Equal([3.0, 3.0, 1.5, 0.75], config.Asymmetry.Select(a => a.Kappa));
        Assert.Equal([64, 64, 64, 256], config.Asymmetry.Select(a => a.Nfix));
        var resnet = ModelFactory.Preset("resnet20", "w", strength: new AsymmetryStrength { Kappa = 0.75 });
        Assert.All(resnet.Asymmetry, a => Assert.Equal(0.75, a.Kappa));
    }

    [Fact]
    public void FStdReplacesEveryFiGluStd()
    {
        var config = ModelFactory.Preset("mlp", "sigma", strength: new AsymmetryStrength { FStd = 0.25 });
        Assert.All(config.Asymmetry, a => Assert.Equal(0.25, a.FStd));
        var f = ModelFactory.Create(config, 1).NamedModules().Select(m => m.Module).OfType<FiGLU>().First().F.ToArray();
        var std = Math.Sqrt(f.Average(v => (double)v * v));
        Assert.InRange(std, 0.24, 0.26);
    }

    [Theory]
    [InlineData("mlp", "w")]
    [InlineData("resnet20", "w")]
    [InlineData("resnet20", "sigma")]
    [InlineData("gnn", "w")]
    public void ThePapersStrengthLeavesPresetsUnchanged(string name, string variant)
    {
        var plain = ModelFactory.Preset(name, variant, architectureSeed: 5);
        var paper = ModelFactory.Preset(name, variant, architectureSeed: 5, strength: new AsymmetryStrength());
        Assert.Equal(plain.ToJson(), paper.ToJson());
        Assert.DoesNotContain("strength", plain.ToJson(), StringComparison.Ordinal);
    }

    [Fact]
    public void CheckpointsRecordTheStrength()
    {
        using var dir = new TempDir();
        var strength = new AsymmetryStrength { NfixMultiplier = 0.5, Kappa = 1.5 };
        var config = ModelFactory.Preset("mlp", "w", strength: strength) with { Width = 32 };
        var model = ModelFactory.Create(config, 2);
        Checkpoint.Save(dir["m.safetensors"], model);
        var loaded = Checkpoint.Load(dir["m.safetensors"]);
        Assert.Equal(strength, loaded.Config.Strength);
        Assert.Equal([32, 32, 32, 128], loaded.Config.Asymmetry.Select(a => a.Nfix));
        Assert.Equal(model.FixedStateHash(), loaded.FixedStateHash());
    }

    [Fact]
    public void NegativeStrengthIsRefused() =>
        Assert.Throws<ArgumentException>(() => ModelFactory.Preset("mlp", "w", strength: new AsymmetryStrength { Kappa = -1 }));
}
