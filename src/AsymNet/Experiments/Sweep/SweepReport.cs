using System.Globalization;
using System.Text;
using AsymNet.Experiments.Lmc;
using AsymNet.Experiments.Figures;

namespace AsymNet.Experiments.Sweep;

/// <summary>One row of cells.csv: a cell's statistics over its seeds.</summary>
public sealed record SweepCellSummary(
    SweepCell Cell, long FixedEntries, int Networks, int Diverged, int Reached,
    double EpochsMean, double EpochsStd, double TestAccuracyMean, double TestAccuracyStd, double TestLossMean,
    double? MidpointBarrier, double? MidpointAccuracy, double? DistancePerParameter);

/// <summary>
/// Writes a sweep folder's tables and figure from its finished cells: results.csv (one row per cell × seed × epoch),
/// cells.csv (one row per cell), summary.md (the grid next to paper Figure 6, barrier and accuracy grids, or the F-std
/// table) and sweep.svg (heatmaps of epochs to the threshold and of the barrier). Rebuilt from every cell file.
/// </summary>
public static class SweepReport
{
    public const string ResultsFile = "results.csv";
    public const string CellsFile = "cells.csv";
    public const string SummaryFile = "summary.md";
    public const string FigureName = "sweep";
    public const string FigureFile = FigureName + ".svg";

    private static readonly CultureInfo Ci = CultureInfo.InvariantCulture;

    public static IReadOnlyList<SweepCellSummary> Write(string runDir, SweepRecipe recipe, IReadOnlyList<SweepCellResult> cells, string? timing)
    {
        var summaries = cells.Select(Summarize).ToList();
        LmcReport.WriteText(Path.Combine(runDir, ResultsFile), ResultsCsv(cells));
        LmcReport.WriteText(Path.Combine(runDir, CellsFile), CellsCsv(summaries));
        LmcReport.WriteText(Path.Combine(runDir, SummaryFile), SummaryMarkdown(recipe, summaries, timing));
        if (summaries.Count > 0) Figure(recipe, summaries).Save(runDir, FigureName);
        return summaries;
    }

    public static SweepCellSummary Summarize(SweepCellResult r)
    {
        var ok = r.Networks.Where(n => !n.Diverged).ToList();
        var (epochs, epochsStd) = LmcStatistics.MeanStd([.. ok.Where(n => n.EpochsToThreshold is not null).Select(n => (double)n.EpochsToThreshold!.Value)]);
        var (accuracy, accuracyStd) = LmcStatistics.MeanStd([.. ok.Select(n => n.TestAccuracy)]);
        return new SweepCellSummary(r.Cell, r.FixedEntries, r.Networks.Count, r.Networks.Count - ok.Count, ok.Count(n => n.EpochsToThreshold is not null),
            epochs, epochsStd, accuracy, accuracyStd, LmcStatistics.MeanStd([.. ok.Select(n => n.TestLoss)]).Mean,
            r.MidpointBarrier, r.MidpointAccuracy, r.DistancePerParameter);
    }

    private static string CellColumns(SweepCell c) =>
        string.Create(Ci, $"{c.Id},{c.NfixMultiplier:R},{(c.Kappa is { } k ? k.ToString("R", Ci) : "")},{(c.FStd is { } f ? f.ToString("R", Ci) : "")}");

    public static string ResultsCsv(IReadOnlyList<SweepCellResult> cells)
    {
        var sb = new StringBuilder("cell,nfix_multiplier,kappa,f_std,fixed_entries,seed,epoch,train_loss,train_accuracy,learning_rate\n");
        foreach (var r in cells)
            foreach (var n in r.Networks)
                foreach (var e in n.Epochs)
                    sb.Append(Ci, $"{CellColumns(r.Cell)},{r.FixedEntries},{n.SeedIndex},{e.Epoch},{e.TrainLoss:R},{e.TrainAccuracy:R},{e.LearningRate:R}\n");
        return sb.ToString();
    }

    public static string CellsCsv(IReadOnlyList<SweepCellSummary> cells)
    {
        var sb = new StringBuilder("cell,nfix_multiplier,kappa,f_std,fixed_entries,networks,diverged,reached_threshold,epochs_to_threshold_mean,epochs_to_threshold_std," +
                                   "test_accuracy_mean,test_accuracy_std,test_loss_mean,midpoint_barrier,midpoint_accuracy,distance_per_parameter\n");
        foreach (var s in cells)
            sb.Append(Ci, $"{CellColumns(s.Cell)},{s.FixedEntries},{s.Networks},{s.Diverged},{s.Reached},{Csv(s.EpochsMean)},{Csv(s.EpochsStd)}," +
                          $"{Csv(s.TestAccuracyMean)},{Csv(s.TestAccuracyStd)},{Csv(s.TestLossMean)},{Csv(s.MidpointBarrier)},{Csv(s.MidpointAccuracy)},{Csv(s.DistancePerParameter)}\n");
        return sb.ToString();
    }

    private static string Csv(double? v) => v is { } x && !double.IsNaN(x) ? x.ToString("R", Ci) : "";

    /// <summary>Epochs to the threshold as the grid shows them: the mean over the networks that reached it, with
    /// "k/n" when only some did, and "&gt;cap" when none did.</summary>
    public static string EpochsText(SweepCellSummary s, int cap) =>
        s.Networks == s.Diverged ? "diverged"
        : s.Reached == 0 ? $">{cap}"
        : s.Reached < s.Networks - s.Diverged ? string.Create(Ci, $"{s.EpochsMean:0.#} ({s.Reached}/{s.Networks - s.Diverged})")
        : string.Create(Ci, $"{s.EpochsMean:0.#}");

    private static string G(double v) => v.ToString("0.###", Ci);

    public static string SummaryMarkdown(SweepRecipe recipe, IReadOnlyList<SweepCellSummary> cells, string? timing)
    {
        var sb = new StringBuilder();
        var cap = recipe.Training.Epochs;
        sb.Append(Ci, $"# How much asymmetry: {(recipe.Kind == SweepKind.W ? "W-Asym nfix × κ" : "σ-Asym F std")}, {recipe.Model} on {recipe.Training.Dataset} ({recipe.Scale.ToString().ToLowerInvariant()} scale)\n\n");
        sb.Append(Ci, $"Epochs until the training accuracy first reaches {100 * recipe.Threshold:0.#}% (mean over the seeds that reached it within the cap of {cap}; \"k/n\": only k of n did), ");
        sb.Append(Ci, $"test accuracy {(recipe.StopAtThreshold ? "when training stopped (at the threshold or the cap)" : $"after {cap} epochs")}, and the LMC midpoint test-loss barrier of the cell's first two networks.\n\n");
        if (recipe.Kind == SweepKind.W) WGrids(sb, recipe, cells, cap);
        else SigmaTable(sb, cells, cap);
        sb.Append("\n## Recipe\n\n");
        sb.Append("- ").Append(recipe.Describe()).Append('\n');
        sb.Append(Ci, $"- data: {recipe.Training.Dataset}, train {(recipe.Training.TrainSize?.ToString("N0", Ci) ?? "all")}, test {(recipe.Training.TestSize?.ToString("N0", Ci) ?? "all")}, augmentation {recipe.Training.Augmentation}; seed {recipe.Seed}\n");
        foreach (var note in recipe.Notes.Concat(recipe.Training.Notes)) sb.Append("- ").Append(note).Append('\n');
        if (timing is not null) sb.Append('\n').Append(timing).Append('\n');
        return sb.ToString();
    }

    private static (List<double> Columns, List<double> Rows) Axes(SweepRecipe recipe) =>
        ([.. recipe.Grid.NfixMultipliers.Distinct().Order()], [.. recipe.Grid.Kappas.Distinct().Order()]);

    private static SweepCellSummary? Find(IReadOnlyList<SweepCellSummary> cells, double multiplier, double kappa) =>
        cells.FirstOrDefault(c => c.Cell.NfixMultiplier == multiplier && (multiplier == 0 || c.Cell.Kappa == kappa));

    private static void WGrids(StringBuilder sb, SweepRecipe recipe, IReadOnlyList<SweepCellSummary> cells, int cap)
    {
        var (columns, rows) = Axes(recipe);
        string Head(double m) => Find(cells, m, rows.FirstOrDefault()) is { } c ? string.Create(Ci, $"×{G(m)} ({c.FixedEntries:N0})") : $"×{G(m)}";
        void Grid(string title, Func<SweepCellSummary, string> text, Func<double, double, string>? paper = null)
        {
            sb.Append("### ").Append(title).Append("\n\n| κ \\ nfix multiplier (fixed entries) | ").Append(string.Join(" | ", columns.Select(Head))).Append(" |\n");
            sb.Append("|---|").Append(string.Concat(columns.Select(_ => "---|"))).Append('\n');
            foreach (var k in rows)
                sb.Append("| ").Append(G(k)).Append(" | ").Append(string.Join(" | ", columns.Select(m =>
                {
                    var here = Find(cells, m, k) is { } c ? text(c) : "…";
                    return paper is null ? here : $"{here} ({paper(m, k)})";
                }))).Append(" |\n");
            sb.Append('\n');
        }
        // The paper's values sit in the cells only for its own model; the MLP's κ is Table 5's scale, not comparable cell by cell.
        var resnet = recipe.Model == "resnet20";
        Grid($"Epochs to {100 * recipe.Threshold:0.#}% training accuracy{(resnet ? " (paper Figure 6 in parentheses: CIFAR-10, 70%, 100-epoch recipe)" : "")}",
            c => EpochsText(c, cap), resnet ? (m, k) => SweepPaperGrid.At(m, k)?.ToString(Ci) ?? "–" : null);
        Grid("Midpoint test-loss barrier (first two seeds)", c => LmcReport.Num(c.MidpointBarrier ?? double.NaN));
        Grid("Test accuracy (mean over seeds)", c => LmcReport.Pct(c.TestAccuracyMean));
        sb.Append("\"…\": cell not finished yet. The multiplier-0 column is one network per seed (nothing fixed), repeated in every row.\n\n");
        sb.Append("### Paper Figure 6: epochs to 70% training accuracy, W-Asym ResNet20 on CIFAR-10 (read from the figure)\n\n| κ \\ nfix multiplier | ")
            .Append(string.Join(" | ", SweepPaperGrid.Multipliers.Select(m => "×" + G(m)))).Append(" |\n|---|").Append(string.Concat(SweepPaperGrid.Multipliers.Select(_ => "---|"))).Append('\n');
        foreach (var k in SweepPaperGrid.Kappas)
            sb.Append("| ").Append(G(k)).Append(" | ").Append(string.Join(" | ", SweepPaperGrid.Multipliers.Select(m => SweepPaperGrid.At(m, k)!.Value.ToString(Ci)))).Append(" |\n");
    }

    private static void SigmaTable(StringBuilder sb, IReadOnlyList<SweepCellSummary> cells, int cap)
    {
        sb.Append("| F std | epochs to threshold | test accuracy | test loss | midpoint barrier | midpoint accuracy | distance per parameter |\n|---|---|---|---|---|---|---|\n");
        foreach (var c in cells.OrderByDescending(c => c.Cell.FStd))
            sb.Append(Ci, $"| {c.Cell.FStd:0.######} | {EpochsText(c, cap)} | {LmcReport.Pct(c.TestAccuracyMean)} | {LmcReport.Num(c.TestLossMean)} | {LmcReport.Num(c.MidpointBarrier ?? double.NaN)} | {LmcReport.Pct(c.MidpointAccuracy ?? double.NaN)} | {(c.DistancePerParameter is { } d ? d.ToString("0.000e0", Ci) : "–")} |\n");
    }

    /// <summary>Heatmaps of epochs to the threshold (cap + 1 where no seed reached it) and of the barrier (rows κ, largest
    /// on top as in the paper's figure, columns nfix multiplier; σ: one row over F std).</summary>
    public static Figure Figure(SweepRecipe recipe, IReadOnlyList<SweepCellSummary> cells)
    {
        IReadOnlyList<string> columnLabels, rowLabels;
        Func<int, int, SweepCellSummary?> at;
        string xLabel, yLabel;
        if (recipe.Kind == SweepKind.W)
        {
            var (columns, rows) = Axes(recipe);
            rows.Reverse();
            columnLabels = [.. columns.Select(m => "×" + G(m))];
            rowLabels = [.. rows.Select(G)];
            at = (r, c) => Find(cells, columns[c], rows[r]);
            (xLabel, yLabel) = ("nfix multiplier", "κ");
        }
        else
        {
            var ordered = cells.OrderByDescending(c => c.Cell.FStd).ToList();
            columnLabels = [.. ordered.Select(c => c.Cell.FStd!.Value.ToString("0.####", Ci))];
            rowLabels = ["σ-Asym"];
            at = (_, c) => ordered[c];
            (xLabel, yLabel) = ("F std", "");
        }
        HeatmapPanel Panel(string title, string label, Func<SweepCellSummary, double> value)
        {
            var values = new double[rowLabels.Count, columnLabels.Count];
            for (var r = 0; r < rowLabels.Count; r++)
                for (var c = 0; c < columnLabels.Count; c++)
                    values[r, c] = at(r, c) is { } s ? value(s) : double.NaN;
            return new HeatmapPanel(title, xLabel, yLabel, values, columnLabels, rowLabels, label);
        }
        var cap = recipe.Training.Epochs;
        return new Figure(
            Panel(string.Create(Ci, $"Epochs to {100 * recipe.Threshold:0.#}% training accuracy"), "epochs", s => s.Reached > 0 ? s.EpochsMean : cap + 1),
            Panel("Midpoint test-loss barrier", "barrier", s => s.MidpointBarrier ?? double.NaN));
    }
}
