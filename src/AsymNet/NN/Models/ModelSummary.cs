using System.Globalization;
using AsymNet.NN.Asymmetry;
using AsymNet.NN.Layers;
using AsymNet.Tensors;

namespace AsymNet.NN.Models;

/// <summary>One row of a model's parameter table (the paper's Tables 5–7 layout): a layer with state.</summary>
/// <param name="Mask">The W-Asym mask's row report, null for other layers.</param>
public sealed record LayerSummary(string Name, string Type, string Shape, long Parameters, long Fixed, string Asymmetry, MaskReport? Mask)
{
    public long Trainable => Parameters - Fixed;
}

/// <summary>Per-layer parameter table of a model.</summary>
public static class ModelSummary
{
    /// <summary>Every leaf layer that holds parameters or buffers, in state-dict order.</summary>
    public static IReadOnlyList<LayerSummary> Layers(Model model)
    {
        var rows = new List<LayerSummary>();
        foreach (var (name, module) in model.NamedModules())
        {
            if (module.Children.Count > 0) continue;
            var parameters = module.Parameters().ToList();
            var buffers = module.NamedBuffers().ToList();
            if (parameters.Count == 0 && buffers.Count == 0) continue;
            var main = parameters.Count > 0 ? parameters[0] : buffers[0].Value;
            var spec = model.Config.AsymmetryOf(name);
            var report = (module as WeightLayer)?.Fixed?.Report;
            rows.Add(new LayerSummary(name, module.GetType().Name, ShapeUtil.Format(main.Shape),
                parameters.Sum(p => (long)p.Length), module.FixedParameterCount(), Describe(spec), report));
        }
        return rows;
    }

    public static string Describe(LayerAsymmetry? spec) => spec?.Kind switch
    {
        null or AsymmetryKind.None => "",
        AsymmetryKind.FiGLU => string.Create(CultureInfo.InvariantCulture, $"FiGLU std {spec.FStd:0.#####}"),
        AsymmetryKind.FixedInputFilters => string.Create(CultureInfo.InvariantCulture, $"{spec.Nfix} filters κ {spec.Kappa:0.###}"),
        _ => string.Create(CultureInfo.InvariantCulture, $"{spec.Nfix} entries κ {spec.Kappa:0.###}"),
    };
}
