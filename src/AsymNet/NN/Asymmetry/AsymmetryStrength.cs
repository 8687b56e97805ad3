using System.Globalization;
using System.Text.Json.Serialization;

namespace AsymNet.NN.Asymmetry;

/// <summary>
/// How strong a preset's asymmetry is, relative to the paper's tables (the authors' <c>--n_mul</c> and <c>--c_mul</c>,
/// paper Figure 6): every W-Asym layer's nfix is multiplied and truncated like the authors' <c>int(nfix · n_mul)</c>;
/// κ is a number for the layers with the preset's largest κ, and layers with a smaller κ keep their ratio to it (the
/// MLP's Table 5: κ, κ, κ/2, κ/4); every FiGLU's F gets one standard deviation. κ = 0 makes fixed entries zero (plain
/// sparsity); multiplier 0 fixes nothing. Null fields keep the preset's values.
/// </summary>
public sealed record AsymmetryStrength
{
    public double NfixMultiplier { get; init; } = 1;

    public double? Kappa { get; init; }

    public double? FStd { get; init; }

    /// <summary>Whether this leaves every preset unchanged (then the config records no strength).</summary>
    [JsonIgnore]
    public bool IsPaper => NfixMultiplier == 1 && Kappa is null && FStd is null;

    /// <summary>The layers of a preset with this strength applied.</summary>
    public IReadOnlyList<LayerAsymmetry> Apply(IReadOnlyList<LayerAsymmetry> layers)
    {
        if (NfixMultiplier < 0 || Kappa is < 0 || FStd is < 0 || !double.IsFinite(NfixMultiplier) || Kappa is { } k && !double.IsFinite(k) || FStd is { } f && !double.IsFinite(f))
            throw new ArgumentException($"Asymmetry strength must be finite and non-negative: {this}.");
        var fixedLayers = layers.Where(IsFixed).ToList();
        var reference = fixedLayers.Count > 0 ? fixedLayers.Max(l => l.Kappa) : 0;
        return [.. layers.Select(l => l.Kind switch
        {
            AsymmetryKind.FiGLU => l with { FStd = FStd ?? l.FStd },
            _ when IsFixed(l) => l with
            {
                Nfix = (int)(l.Nfix * NfixMultiplier),
                Kappa = Kappa is not { } kappa ? l.Kappa : reference > 0 ? l.Kappa / reference * kappa : kappa,
            },
            _ => l,
        })];
    }

    private static bool IsFixed(LayerAsymmetry l) => l.Kind is AsymmetryKind.FixedEntries or AsymmetryKind.FixedInputFilters;

    public override string ToString()
    {
        var ci = CultureInfo.InvariantCulture;
        var parts = new List<string> { string.Create(ci, $"nfix ×{NfixMultiplier:0.###}") };
        if (Kappa is { } k) parts.Add(string.Create(ci, $"κ {k:0.###}"));
        if (FStd is { } f) parts.Add(string.Create(ci, $"F std {f:0.#####}"));
        return string.Join(", ", parts);
    }
}
