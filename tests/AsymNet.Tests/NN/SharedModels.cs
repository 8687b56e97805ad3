using AsymNet.NN.Models;

namespace AsymNet.Tests.NN;

/// <summary>Large preset models built once per test run (W-Asym ResNet20×8 has 17M parameters plus masks and F).</summary>
public static class SharedModels
{
    private static readonly Lazy<Model> WResNet20x8 = new(() => ModelFactory.Create(ModelFactory.Preset("resnet20x8", "w"), 1));

    /// <summary>A shared instance for read-only checks; other presets are built fresh.</summary>
    public static Model Get(string preset, string variant) =>
        preset == "resnet20x8" && variant == "w" ? WResNet20x8.Value : ModelFactory.Create(ModelFactory.Preset(preset, variant), 1);
}
