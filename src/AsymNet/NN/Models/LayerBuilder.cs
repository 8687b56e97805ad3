using AsymNet.NN.Asymmetry;
using AsymNet.NN.Layers;
using AsymNet.Tensors;

namespace AsymNet.NN.Models;

/// <summary>
/// Creates a model's layers by name, standard or asymmetric as the config's asymmetry list says. Trainable weights
/// draw from Rng.ForKey(initSeed, name); masks, F and FiGLU matrices from the architecture seed. Every listed
/// asymmetry must be used by some layer, so a misspelt layer name fails loudly.
/// </summary>
internal sealed class LayerBuilder(ModelConfig config, ulong initSeed)
{
    private readonly HashSet<string> _used = [];

    public ModelConfig Config => config;

    public Rng InitRng(string name) => Rng.ForKey(initSeed, name + "/init");

    public Linear Linear(string name, int inFeatures, int outFeatures, bool bias = true)
    {
        var spec = Take(name);
        if (spec is null) return new Linear(inFeatures, outFeatures, InitRng(name), bias, config.WeightInit);
        RequireKind(spec, AsymmetryKind.FixedEntries);
        return new WAsymLinear(inFeatures, outFeatures, spec, config.ArchitectureSeed, name, InitRng(name), bias, config.WeightInit);
    }

    public Conv2d Conv(string name, int inChannels, int outChannels, int kernelSize, int stride, int padding)
    {
        var spec = Take(name);
        if (spec is null) return new Conv2d(inChannels, outChannels, kernelSize, InitRng(name), stride, padding, bias: false, config.WeightInit);
        RequireKind(spec, AsymmetryKind.FixedEntries, AsymmetryKind.FixedInputFilters);
        return new WAsymConv2d(inChannels, outChannels, kernelSize, spec, config.ArchitectureSeed, name, InitRng(name), stride, padding, config.WeightInit);
    }

    /// <summary>The activation at a named site: FiGLU when the config says so, else the config's activation.</summary>
    public Module Activation(string name, int dim, FiGluLayout layout, string bufferName)
    {
        var spec = Take(name);
        if (spec is not null)
        {
            RequireKind(spec, AsymmetryKind.FiGLU);
            return new FiGLU(dim, layout, spec.FStd, config.ArchitectureSeed, name, bufferName);
        }
        return config.Activation switch
        {
            ActivationKind.Relu => new ReLU(),
            ActivationKind.Gelu => new GELU(),
            _ => throw new ArgumentOutOfRangeException(nameof(config), config.Activation, "Unknown activation."),
        };
    }

    /// <summary>Throws unless every asymmetry entry named a layer that exists.</summary>
    public void CheckAllUsed()
    {
        var unused = config.Asymmetry.Where(a => !_used.Contains(a.Layer)).Select(a => a.Layer).ToList();
        if (unused.Count > 0)
            throw new ArgumentException($"Asymmetry given for layers this {config.Architecture} does not have: {string.Join(", ", unused)}.");
    }

    private LayerAsymmetry? Take(string name)
    {
        _used.Add(name);
        var spec = config.AsymmetryOf(name);
        return spec is null || spec.Kind == AsymmetryKind.None ? null : spec;
    }

    private static void RequireKind(LayerAsymmetry spec, params AsymmetryKind[] allowed)
    {
        if (!allowed.Contains(spec.Kind))
            throw new ArgumentException($"Layer '{spec.Layer}' cannot take asymmetry {spec.Kind}; allowed: {string.Join(", ", allowed)}.");
    }
}
