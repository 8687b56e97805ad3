using AsymNet.NN.Models;

namespace AsymNet.Experiments.Figures;

/// <summary>
/// The one palette of every figure (Okabe–Ito, readable by colour-blind readers and in greyscale print): each kind of
/// network keeps its colour in every experiment's figures, and anything else takes <see cref="Extra"/> colours in turn.
/// Colours are "#rrggbb" strings so that callers need no plotting types.
/// </summary>
public static class Palette
{
    public const string Standard = "#0072B2";
    public const string Rebasin = "#009E73";
    public const string SigmaAsym = "#CC79A7";
    public const string WAsym = "#D55E00";

    private static readonly string[] Extras = ["#E69F00", "#56B4E9", "#000000", "#F0E442", "#999999"];

    /// <summary>The colour of a kind of network (re-basin is a standard pair aligned: use <see cref="Rebasin"/>).</summary>
    public static string Of(Variant variant) => variant switch
    {
        Variant.Standard => Standard,
        Variant.Sigma => SigmaAsym,
        Variant.W => WAsym,
        _ => throw new ArgumentOutOfRangeException(nameof(variant)),
    };

    /// <summary>The i-th colour for series that are not a kind of network (cycles).</summary>
    public static string Extra(int i) => Extras[((i % Extras.Length) + Extras.Length) % Extras.Length];
}
