using AsymNet.NN.Models;

namespace AsymNet.Tests.NN;

/// <summary>Every parameter count the paper and the authors' code give (docs/paper.md#parameter-counts).</summary>
public class ParameterCountTests
{
    [Theory]
    [InlineData("mlp", "standard", 935_434, 0)]
    [InlineData("mlp", "w", 935_434, 100_864)]
    [InlineData("mlp", "sigma", 935_434, 0)]
    [InlineData("bnn-mlp8", "standard", 1_253_898, 0)]
    [InlineData("bnn-mlp8", "w", 1_253_898, 16_464)]
    [InlineData("bnn-mlp16", "standard", 1_784_330, 0)]
    [InlineData("bnn-mlp16", "w", 1_784_330, 32_848)]
    [InlineData("resnet20", "standard", 272_474, 0)]
    [InlineData("resnet20", "w", 272_474, 42_448)]
    [InlineData("resnet20", "sigma", 272_474, 0)]
    [InlineData("resnet20x8", "standard", 17_289_866, 0)]
    [InlineData("resnet20x8", "w", 17_289_866, 1_015_920)]
    [InlineData("resnet8", "standard", 78_042, 0)]
    [InlineData("resnet8", "w", 78_042, 17_408)]
    [InlineData("resnet8", "sigma", 78_042, 0)]
    [InlineData("bnn-resnet20", "w", 272_474, 10_112)]
    [InlineData("bnn-resnet110", "w", 1_730_714, 56_192)]
    [InlineData("gnn", "standard", 176_424, 0)]
    [InlineData("gnn", "w", 176_424, 4_848)]
    [InlineData("gnn", "sigma", 176_424, 0)]
    public void PresetHasThePapersCounts(string name, string variant, long total, long fixedCount)
    {
        var model = SharedModels.Get(name, variant);
        Assert.Equal(total, model.TotalParameterCount());
        Assert.Equal(fixedCount, model.FixedParameterCount());
        Assert.Equal(total - fixedCount, model.TrainableParameterCount());
    }

    [Theory]
    [InlineData("mlp", 834_570)]
    [InlineData("resnet20", 230_026)]
    [InlineData("resnet8", 60_634)]
    [InlineData("gnn", 171_576)]
    public void WAsymTrainableCountsMatchThePaper(string name, long trainable) =>
        Assert.Equal(trainable, ModelFactory.Create(ModelFactory.Preset(name, "w"), 1).TrainableParameterCount());

    [Fact]
    public void ResNet8StateDictHas29Tensors() =>
        Assert.Equal(29, ModelFactory.Create(ModelFactory.Preset("resnet8", "standard"), 1).StateDict().Count);

    [Fact]
    public void SmallerResNet8HasTheControlsCount()
    {
        var config = ModelFactory.Preset("resnet8", "standard") with { WidthMultiplier = 0.875 };
        Assert.Equal(59_944, ModelFactory.Create(config, 1).TotalParameterCount());
    }

    [Fact]
    public void BatchNormResNetHasTheSameParametersPlusRunningStatistics()
    {
        var config = ModelFactory.Preset("resnet20", "standard") with { Norm = NormKind.Batch };
        var model = ModelFactory.Create(config, 1);
        Assert.Equal(272_474, model.TotalParameterCount());
        Assert.Contains("layer2.0.shortcut.1.running_var", model.StateDict().Select(kv => kv.Key));
        Assert.Equal(65 + 3 * 21, model.StateDict().Count);
    }
}
