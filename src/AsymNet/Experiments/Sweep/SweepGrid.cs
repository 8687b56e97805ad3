using System.Globalization;

namespace AsymNet.Experiments.Sweep;

/// <summary>
/// A sweep's axes: nfix multipliers and κ values (W-Asym) or F standard deviations (σ-Asym). Spec syntax:
/// <c>nfix=0,0.5,1;kappa=0,1.5,3</c> or <c>fstd=1,0.25,1/sqrt(d),0.01/sqrt(d)</c>, where d is the width of the
/// layers FiGLU gates (the MLP's 512; ResNets' widths differ per stage, so there only numbers are accepted).
/// </summary>
public sealed record SweepGrid(IReadOnlyList<double> NfixMultipliers, IReadOnlyList<double> Kappas, IReadOnlyList<double> FStds)
{
    /// <summary>Paper Figure 6: n_mul and c_mul ∈ {0, .25, .5, .75, 1} with κ = 3·c_mul.</summary>
    public static SweepGrid PaperW { get; } = new([0, 0.25, 0.5, 0.75, 1], [0, 0.75, 1.5, 2.25, 3], []);

    public static SweepGrid Parse(string spec, SweepKind kind, int? figluWidth)
    {
        var axes = new Dictionary<string, IReadOnlyList<double>>();
        foreach (var part in spec.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var kv = part.Split('=', 2, StringSplitOptions.TrimEntries);
            if (kv.Length != 2 || kv[0] is not ("nfix" or "kappa" or "fstd"))
                throw new ArgumentException($"--grid: '{part}' is not nfix=…, kappa=… or fstd=… (e.g. \"nfix=0,0.5,1;kappa=0,1.5,3\").");
            axes[kv[0]] = [.. kv[1].Split(',', StringSplitOptions.TrimEntries).Select(v => Value(v, kv[0], figluWidth))];
        }
        if (kind == SweepKind.W)
        {
            if (!axes.ContainsKey("nfix") || !axes.ContainsKey("kappa") || axes.ContainsKey("fstd"))
                throw new ArgumentException("--grid for --kind w needs nfix=… and kappa=… (and no fstd).");
            return new SweepGrid(axes["nfix"], axes["kappa"], []);
        }
        if (!axes.ContainsKey("fstd") || axes.Count != 1)
            throw new ArgumentException("--grid for --kind sigma needs fstd=… only.");
        return new SweepGrid([], [], axes["fstd"]);
    }

    private static double Value(string text, string axis, int? width)
    {
        var t = text.Replace("√d", "sqrt(d)", StringComparison.Ordinal);
        double scale = 1;
        if (t.EndsWith("/sqrt(d)", StringComparison.Ordinal))
        {
            if (axis != "fstd" || width is null)
                throw new ArgumentException($"--grid: '{text}' needs a single FiGLU width d (fstd of the MLP only); give a number.");
            t = t[..^"/sqrt(d)".Length];
            scale = 1 / Math.Sqrt(width.Value);
        }
        if (!double.TryParse(t, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) || !double.IsFinite(v) || v < 0)
            throw new ArgumentException($"--grid: '{text}' is not a non-negative number.");
        return v * scale;
    }

    /// <summary>The cells in run order: κ rows, nfix columns; every multiplier-0 cell is the same network, listed once.</summary>
    public IReadOnlyList<SweepCell> Cells(SweepKind kind)
    {
        if (kind == SweepKind.Sigma) return [.. FStds.Distinct().Select(f => new SweepCell(1, null, f))];
        var cells = new List<SweepCell>();
        if (NfixMultipliers.Contains(0)) cells.Add(new SweepCell(0, null, null));
        foreach (var k in Kappas.Distinct())
            foreach (var m in NfixMultipliers.Distinct().Where(m => m != 0))
                cells.Add(new SweepCell(m, k, null));
        return cells;
    }

    public override string ToString()
    {
        static string L(IEnumerable<double> v) => string.Join(",", v.Select(x => x.ToString("0.######", CultureInfo.InvariantCulture)));
        return FStds.Count > 0 ? $"fstd={L(FStds)}" : $"nfix={L(NfixMultipliers)};kappa={L(Kappas)}";
    }
}
