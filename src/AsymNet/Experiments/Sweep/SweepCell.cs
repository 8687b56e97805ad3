using System.Globalization;
using AsymNet.NN.Asymmetry;

namespace AsymNet.Experiments.Sweep;

/// <summary>
/// One point of a sweep's grid: a W-Asym (nfix multiplier, κ) or a σ-Asym F std. A multiplier of 0 fixes nothing,
/// so κ does not matter there: the grid holds one such cell (<see cref="Kappa"/> null) for the whole column.
/// </summary>
public sealed record SweepCell(double NfixMultiplier, double? Kappa, double? FStd)
{
    public AsymmetryStrength Strength => new() { NfixMultiplier = NfixMultiplier, Kappa = Kappa, FStd = FStd };

    /// <summary>A file-name-safe id, e.g. "n0.25-k1.5", "n0", "f0.044194".</summary>
    public string Id => FStd is { } f ? "f" + G(f) : Kappa is { } k ? $"n{G(NfixMultiplier)}-k{G(k)}" : $"n{G(NfixMultiplier)}";

    public string Label => FStd is { } f ? $"F std {G(f)}" : Kappa is { } k ? $"nfix ×{G(NfixMultiplier)}, κ {G(k)}" : $"nfix ×{G(NfixMultiplier)} (no fixed entries)";

    private static string G(double v) => v.ToString("0.######", CultureInfo.InvariantCulture);
}
