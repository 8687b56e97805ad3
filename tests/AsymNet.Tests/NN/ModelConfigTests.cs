using AsymNet.NN;
using AsymNet.NN.Asymmetry;
using AsymNet.NN.Models;

namespace AsymNet.Tests.NN;

public class ModelConfigTests
{
    [Theory]
    [InlineData("mlp", "w")]
    [InlineData("resnet8", "w")]
    [InlineData("resnet20", "sigma")]
    [InlineData("gnn", "w")]
    public void JsonRoundTripKeepsEveryField(string preset, string variant)
    {
        var config = ModelFactory.Preset(preset, variant, architectureSeed: ulong.MaxValue - 3);
        var back = ModelConfig.FromJson(config.ToJson());
        Assert.Equal(config, back);
        Assert.Equal(config.ToJson(), back.ToJson());
        Assert.Equal(ModelFactory.Create(config, 1).FixedStateHash(), ModelFactory.Create(back, 1).FixedStateHash());
    }

    [Fact]
    public void JsonUsesReadableNames()
    {
        var json = ModelFactory.Preset("resnet8", "w").ToJson();
        Assert.Contains("\"architecture\": \"resnet\"", json);
        Assert.Contains("\"kind\": \"fixed-input-filters\"", json);
        Assert.Contains("\"weightInit\": \"kaiming-uniform\"", json);
        Assert.Contains("\"norm\": \"group\"", json);
    }

    [Fact]
    public void AMisspeltLayerNameFailsLoudly()
    {
        var config = ModelFactory.Preset("mlp", "standard") with { Asymmetry = [LayerAsymmetry.Entries("lins.9", 4, 1)] };
        var e = Assert.Throws<ArgumentException>(() => ModelFactory.Create(config, 1));
        Assert.Contains("lins.9", e.Message);
    }

    [Fact]
    public void AFiGluSpecOnAWeightLayerIsRejected()
    {
        var config = ModelFactory.Preset("mlp", "standard") with { Asymmetry = [LayerAsymmetry.FiGlu("lins.0", 1)] };
        Assert.Throws<ArgumentException>(() => ModelFactory.Create(config, 1));
    }

    [Fact]
    public void PresetsFollowTheDatasetShape()
    {
        var cifarMlp = ModelFactory.Create(ModelFactory.Preset("mlp", "standard", DatasetShape.Cifar100), 1);
        Assert.Equal(new[] { 512, 3072 }, cifarMlp.StateDict()[0].Value.Shape);
        Assert.Equal(new[] { 100, 512 }, cifarMlp.StateDict()[6].Value.Shape);
        var mnistResNet = ModelFactory.Preset("resnet20", "standard", DatasetShape.FashionMnist);
        Assert.Equal(new[] { 16, 1, 3, 3 }, ModelFactory.Create(mnistResNet, 1).StateDict()[0].Value.Shape);
    }

    [Fact]
    public void PaperDecisionsAreEncodedInThePresets()
    {
        var w20 = ModelFactory.Preset("resnet20", "w");
        Assert.All(w20.Asymmetry, a => Assert.Equal(2.0, a.Kappa));
        Assert.Equal(WeightInit.KaimingUniform, w20.WeightInit);
        Assert.Equal(WeightInit.KaimingNormal, ModelFactory.Preset("resnet20", "standard").WeightInit);
        var wGnn = ModelFactory.Preset("gnn", "w");
        Assert.Equal(3, wGnn.Asymmetry.Count(a => a.Kind == AsymmetryKind.FiGLU));
        Assert.All(wGnn.Asymmetry.Where(a => a.Kind == AsymmetryKind.FiGLU), a => Assert.Equal(0.01 / 16, a.FStd, 12));
        Assert.Equal(1 / Math.Sqrt(64), ModelFactory.Preset("resnet20", "sigma").Asymmetry.Last().FStd, 12);
    }

    [Fact]
    public void UnknownNamesAreRejected()
    {
        Assert.Throws<ArgumentException>(() => ModelFactory.Preset("vgg", "standard"));
        Assert.Throws<ArgumentException>(() => ModelFactory.Preset("mlp", "x"));
        Assert.Throws<ArgumentException>(() => ModelFactory.Create(ModelFactory.Preset("resnet21", "standard"), 1));
    }
}
