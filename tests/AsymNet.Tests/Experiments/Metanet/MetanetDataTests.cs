using AsymNet.Experiments.Metanet;
using AsymNet.Experiments.Zoo;
using AsymNet.NN.Checkpoints;
using AsymNet.NN.Models;
using AsymNet.Tensors;
using AsymNet.Tests.Data;
using AsymNet.Tests.NN;
using AsymNet.Tests.Support;

namespace AsymNet.Tests.Experiments.Metanet;

/// <summary>The metanets' data: metrics against SciPy, StatNN features against NumPy, zoo reading, and the split.</summary>
public class MetanetDataTests
{
    [Fact]
    public void R2AndKendallTauMatchSciPy()
    {
        var cases = ReferenceJson.Load("metanet", "metrics", "metanet_reference.py");
        foreach (var c in cases.EnumerateArray())
        {
            var name = c.GetProperty("name").GetString();
            var t = c.GetProperty("target").EnumerateArray().Select(v => v.GetDouble()).ToArray();
            var p = c.GetProperty("prediction").EnumerateArray().Select(v => v.GetDouble()).ToArray();
            Assert.True(Math.Abs(c.GetProperty("r2").GetDouble() - RegressionMetrics.R2(t, p)) < 1e-12, $"{name}: R² {RegressionMetrics.R2(t, p)}");
            Assert.True(Math.Abs(c.GetProperty("tau").GetDouble() - RegressionMetrics.KendallTauB(t, p)) < 1e-12, $"{name}: τ {RegressionMetrics.KendallTauB(t, p)}");
        }
    }

    [Fact]
    public void MetricsOfDegenerateInputsAreNaN()
    {
        Assert.True(double.IsNaN(RegressionMetrics.R2([0.5, 0.5, 0.5], [0.1, 0.2, 0.3])));
        Assert.True(double.IsNaN(RegressionMetrics.KendallTauB([0.1, 0.2, 0.3], [1, 1, 1])));
        Assert.Equal(1.0, RegressionMetrics.R2([0.1, 0.2, 0.4], [0.1, 0.2, 0.4]));
    }

    [Fact]
    public void StatNNFeaturesMatchNumPyOnAFixedNetwork()
    {
        var reference = ReferenceJson.Load("metanet", "statnn-features", "metanet_reference.py");
        var seed = reference.GetProperty("seed").GetUInt64();
        var model = ModelFactory.Create(ModelPresets.Get("resnet8", Variant.W, null, 0), 0);
        var tensors = model.StateDict().Select(kv =>
        {
            var values = ReferenceFill.Values(seed, kv.Key, kv.Value.Shape);
            if (kv.Key == "conv1.mask") Array.Clear(values);
            return SafetensorsTensor.FromFloats(kv.Key, kv.Value.Shape, values);
        });
        var file = Safetensors.Parse(Safetensors.Serialize(tensors), "reference network");
        var weights = NetworkWeights.Read(file, Variant.W);
        Assert.Equal(reference.GetProperty("keys").EnumerateArray().Select(k => k.GetString()), weights.Tensors.Select(t => t.Key));
        Assert.Empty(weights.Tensors[0].Values);
        var features = new float[StatNNFeatures.PerTensor * weights.Tensors.Count];
        weights.StatisticsTo(features);
        ReferenceJson.AssertClose(ReferenceJson.Floats(reference.GetProperty("features")), features, 1e-7, "StatNN features", 1e-5);
        Assert.All(features.Take(7), f => Assert.Equal(0f, f));
    }

    [Fact]
    public void ZooNetworksGiveThePapersInputSizes()
    {
        using var dir = new TempDir();
        SyntheticZoo.Write(dir.Path, 2);
        var zoo = ZooReader.Open(dir.Path);
        Assert.Equal(["standard", "w"], zoo.Variants);
        var standard = zoo.Load(zoo.Usable("standard")[0]);
        var w = zoo.Load(zoo.Usable("w")[0]);
        Assert.Equal((78_042, 29), (standard.Count, standard.Tensors.Count));
        Assert.Equal((60_634, 29), (w.Count, w.Tensors.Count));
        Assert.Equal("conv1.weight", w.Tensors[0].Key);
        Assert.Empty(w.Tensors[0].Values);
        // Standard: all numbers in state-dict order, exactly the file's.
        var file = Safetensors.Load(zoo.NetworkPath(zoo.Usable("standard")[0]));
        Assert.Equal(file["conv1.weight"].ToFloatArray(), standard.Tensors[0].Values);
        Assert.Equal(file["linear.bias"].ToFloatArray(), standard.Tensors[^1].Values);
    }

    [Fact]
    public void AMissingNetworkFileIsAnErrorNamingIt()
    {
        using var dir = new TempDir();
        SyntheticZoo.Write(dir.Path, 2, ["standard"]);
        File.Delete(new ZooFolder(dir.Path).TrainedPath(Variant.Standard, 1));
        var zoo = ZooReader.Open(dir.Path);
        var x = Assert.ThrowsAny<IOException>(() => zoo.Load(zoo.Records[1]));
        Assert.Contains(Path.Combine("standard", "1.safetensors"), x.Message);
        Assert.Contains("zoo.csv", Assert.Throws<FileNotFoundException>(() => ZooReader.Open(Path.Combine(dir.Path, ZooFolder.NetworksDir))).Message);
    }

    [Fact]
    public void SplitIsSeededByIndexSharedByVariantsAndDropsDivergedNetworksAfterwards()
    {
        using var dir = new TempDir();
        SyntheticZoo.Write(dir.Path, 12, diverged: 3);
        var zoo = ZooReader.Open(dir.Path);
        var recipe = new MetanetRecipe { Zoo = dir.Path, Seed = 5 };
        var split = MetanetData.SplitOf(zoo, recipe);
        Assert.Equal(12, split.Count);
        Assert.Equal((6, 3, 3), (split.Values.Count(s => s == "train"), split.Values.Count(s => s == "val"), split.Values.Count(s => s == "test")));
        // Not the index order, and another seed draws another split.
        Assert.NotEqual(Enumerable.Range(0, 6), split.Where(kv => kv.Value == "train").Select(kv => kv.Key).Order());
        Assert.NotEqual(split, MetanetData.SplitOf(zoo, recipe with { Seed = 6 }));
        var standard = MetanetData.Load(zoo, "standard", false, split);
        var w = MetanetData.Load(zoo, "w", true, split);
        Assert.DoesNotContain(3, standard.Indices);
        Assert.Equal(11, standard.Indices.Length);
        Assert.Equal(78_042, standard.Width);
        Assert.Equal(7 * 29, w.Width);
        foreach (var name in new[] { "train", "val", "test" })
            Assert.Equal(standard.Rows[name].Select(r => standard.Indices[r]), w.Rows[name].Select(r => w.Indices[r]));
        Assert.Equal((float)zoo.Usable("w")[0].TestAccuracy, w.Targets[0]);
    }
}
