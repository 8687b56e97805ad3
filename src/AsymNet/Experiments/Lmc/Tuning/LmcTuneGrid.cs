using System.Globalization;
using AsymNet.NN.Models;

namespace AsymNet.Experiments.Lmc.Tuning;

/// <summary>
/// The grid <c>asym lmc --tune</c> searches per kind of network: every combination of epochs, learning rate and weight
/// decay. Spec syntax: <c>epochs=4,8,16;lr=3e-4,1e-3,3e-3;wd=0,0.03,0.3</c>; an axis left out keeps the default
/// grid's. The default is built around the recipe's own values (docs/lmc.md, Tuning).
/// </summary>
public sealed record LmcTuneGrid(IReadOnlyList<int> Epochs, IReadOnlyList<double> LearningRates, IReadOnlyList<double> WeightDecays)
{
    /// <summary>Epochs {½, 1, 2} × the recipe's, learning rate {0.3, 1, 3} × the recipe's, weight decay {0, 1, 10} × the
    /// recipe's (quick MLP: {4, 8, 16} × {3e-4, 1e-3, 3e-3} × {0, 0.03, 0.3}, 27 cells).</summary>
    public static LmcTuneGrid Default(LmcRecipe recipe) => new(
        [.. new[] { Math.Max(1, recipe.Epochs / 2), recipe.Epochs, 2 * recipe.Epochs }.Distinct()],
        [Round(0.3 * recipe.LearningRate), recipe.LearningRate, Round(3 * recipe.LearningRate)],
        [.. new[] { 0, recipe.WeightDecay, Round(10 * recipe.WeightDecay) }.Distinct()]);

    /// <summary>To 6 significant digits, so 0.3 × 1e-3 is written 0.0003 and not 0.00030000000000000003.</summary>
    private static double Round(double x) => double.Parse(x.ToString("G6", CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);

    /// <summary>Every cell for <paramref name="family"/>, epochs outermost, weight decay innermost.</summary>
    public IReadOnlyList<LmcHyperparameters> Cells(Variant family) =>
        [.. Epochs.SelectMany(e => LearningRates.SelectMany(lr => WeightDecays.Select(wd => new LmcHyperparameters(family, e, lr, wd))))];

    public static LmcTuneGrid Parse(string spec, LmcTuneGrid defaults)
    {
        var grid = defaults;
        foreach (var part in spec.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var kv = part.Split('=', 2, StringSplitOptions.TrimEntries);
            if (kv.Length != 2 || kv[0] is not ("epochs" or "lr" or "wd"))
                throw new ArgumentException($"--tune-grid: '{part}' is not epochs=…, lr=… or wd=… (e.g. \"epochs=4,8,16;lr=3e-4,1e-3,3e-3;wd=0,0.03,0.3\").");
            var values = kv[1].Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).Select(v => Number(v, kv[0])).Distinct().ToList();
            if (values.Count == 0) throw new ArgumentException($"--tune-grid: '{part}' lists no values.");
            grid = kv[0] switch
            {
                "epochs" => grid with { Epochs = [.. values.Select(v => v >= 1 && v == Math.Floor(v) ? (int)v : throw new ArgumentException($"--tune-grid: epochs must be whole numbers ≥ 1, got {v}."))] },
                "lr" => grid with { LearningRates = [.. values.Select(v => v > 0 ? v : throw new ArgumentException($"--tune-grid: learning rates must be positive, got {v}."))] },
                _ => grid with { WeightDecays = values },
            };
        }
        return grid;
    }

    private static double Number(string text, string axis) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) && double.IsFinite(v) && v >= 0
            ? v
            : throw new ArgumentException($"--tune-grid: '{text}' ({axis}) is not a non-negative number.");

    public override string ToString()
    {
        static string L(IEnumerable<double> v) => string.Join(",", v.Select(x => x.ToString("G6", CultureInfo.InvariantCulture)));
        return $"epochs={L(Epochs.Select(e => (double)e))};lr={L(LearningRates)};wd={L(WeightDecays)}";
    }
}
