using AsymNet.NN.Asymmetry;

namespace AsymNet.NN.Models;

/// <summary>Builds models from configs, and configs for the paper's models by name (see <see cref="ModelPresets"/>).</summary>
public static class ModelFactory
{
    /// <summary>
    /// Builds the model a config describes. Masks, F and FiGLU matrices depend only on the config (its architecture
    /// seed); trainable weights are drawn from <paramref name="initSeed"/>.
    /// </summary>
    public static Model Create(ModelConfig config, ulong initSeed)
    {
        var build = new LayerBuilder(config, initSeed);
        Model model = config.Architecture switch
        {
            Architecture.Mlp => new Mlp(config, build),
            Architecture.ResNet => new ResNet(config, build),
            Architecture.Gnn => new Gnn(config, build),
            Architecture.MetanetMlp => new MetanetMlp(config, build),
            Architecture.Dmc => new Dmc(config, build),
            Architecture.DeepSets => new DeepSets(config, build),
            _ => throw new ArgumentOutOfRangeException(nameof(config), config.Architecture, "Unknown architecture."),
        };
        build.CheckAllUsed();
        return model;
    }

    /// <summary>The config of a named model of the paper (mlp, bnn-mlp8, bnn-mlp16, resnet8, resnet20, resnet20x8,
    /// resnet{depth}[x{width}], bnn-resnet20, bnn-resnet110, gnn) in variant standard, w or sigma.</summary>
    public static ModelConfig Preset(string name, string variant, DatasetShape? dataset = null, ulong architectureSeed = 0,
                                     AsymmetryStrength? strength = null) =>
        ModelPresets.Get(name, ParseVariant(variant), dataset, architectureSeed, strength);

    public static Variant ParseVariant(string variant) => variant.ToLowerInvariant() switch
    {
        "standard" => Variant.Standard,
        "w" or "w-asym" => Variant.W,
        "sigma" or "σ" or "sigma-asym" => Variant.Sigma,
        _ => throw new ArgumentException($"Unknown variant '{variant}'; use standard, w or sigma."),
    };
}
