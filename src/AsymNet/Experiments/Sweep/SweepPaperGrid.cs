namespace AsymNet.Experiments.Sweep;

/// <summary>
/// Paper Figure 6 as read from the figure (no code or table was released; docs/paper.md#sweep): epochs until 70%
/// training accuracy of W-Asym ResNet20 on CIFAR-10, rows κ ∈ {0, .75, 1.5, 2.25, 3}, columns nfix multiplier
/// ∈ {0, .25, .5, .75, 1} (0 / ~10k / ~20k / ~30k / ~40k fixed entries).
/// </summary>
public static class SweepPaperGrid
{
    public static IReadOnlyList<double> Multipliers { get; } = [0, 0.25, 0.5, 0.75, 1];
    public static IReadOnlyList<double> Kappas { get; } = [0, 0.75, 1.5, 2.25, 3];

    private static readonly int[][] Epochs =
    [
        [11, 10, 11, 12, 11],
        [11, 12, 15, 19, 22],
        [11, 19, 25, 31, 38],
        [11, 24, 36, 44, 53],
        [11, 30, 46, 60, 72],
    ];

    /// <summary>The figure's epochs at (multiplier, κ), or null when the grid point is not the paper's.</summary>
    public static int? At(double multiplier, double? kappa)
    {
        var c = IndexOf(Multipliers, multiplier);
        if (c < 0) return null;
        if (multiplier == 0) return Epochs[0][0];
        var r = kappa is { } k ? IndexOf(Kappas, k) : -1;
        return r < 0 ? null : Epochs[r][c];
    }

    private static int IndexOf(IReadOnlyList<double> values, double v)
    {
        for (var i = 0; i < values.Count; i++)
            if (Math.Abs(values[i] - v) < 1e-9) return i;
        return -1;
    }
}
