using System.Globalization;
using System.Text.Json;
using AsymNet.Experiments.Report;
using AsymNet.Experiments.Runs;
using AsymNet.NN.Models;

namespace AsymNet.Experiments.Bnn;

/// <summary>
/// A BNN run folder in the report: Table 2 with this run's row of each (model, variant) above the paper's (a test
/// accuracy more than <see cref="AccuracyTolerance"/> points from the paper's is highlighted), Figure 4 (bnn.svg), and
/// the recipe's differences from the paper's. Rows come from the manifest's results, as the run wrote them.
/// </summary>
public sealed class BnnReportSource : IReportSource
{
    /// <summary>Percentage points of test accuracy that count as a difference from the paper.</summary>
    public const double AccuracyTolerance = 2;

    private static readonly CultureInfo Ci = CultureInfo.InvariantCulture;

    public string Experiment => BnnExperiment.ExperimentName;

    public ReportSection Read(string runDir, RunManifest manifest)
    {
        var config = ReportSources.Config(runDir, manifest);
        var rows = ReportSources.Results<BnnRowSummary>(manifest, BnnRecipe.Json);
        var scale = config["scale"]?.GetValue<string>()?.ToLowerInvariant() ?? "?";
        var paper = JsonSerializer.SerializeToNode(BnnRecipe.Resolve(new BnnConfig { Scale = BnnScale.Paper, Variants = [Variant.Standard, Variant.W] }), BnnRecipe.Json)!.AsObject();
        return new ReportSection
        {
            Title = $"BNN: {string.Join(", ", rows.Select(r => r.Label).Distinct())} ({scale} scale)",
            Experiment = Experiment,
            RunDir = runDir,
            Manifest = manifest,
            Tables = rows.Count == 0 ? [] : [Table2(rows)],
            Figures = ReportSources.Figures(runDir, _ => "Figure 4: train loss per epoch, standard vs W-Asym, mean over runs with a min..max band; one panel per model."),
            Deviations = RecipeDeviations.Of(config, paper, new HashSet<string> { "scale", "models", "variants", "evalBatchSize", "lossWindow", "halfEpoch" }),
            Notes = rows.Count == 0 ? [ReportSources.NoResults(manifest)] : [],
        };
    }

    private static ReportTable Table2(IReadOnlyList<BnnRowSummary> rows)
    {
        var table = new List<IReadOnlyList<ReportCell>>();
        foreach (var r in rows)
        {
            var label = (r.Variant == Variant.W ? "W-Asym " : "") + r.Label;
            var p = BnnPaperTable.For(r.Model, r.Variant);
            var differs = p is not null && !double.IsNaN(r.TestAccuracy.Mean) && Math.Abs(100 * r.TestAccuracy.Mean - p.TestAccuracy) > AccuracyTolerance;
            table.Add([$"this run: {label}", r.Diverged > 0 ? $"{r.Runs} ({r.Diverged} diverged)" : r.Runs.ToString(Ci), S(r.TrainLoss), S(r.TestNll), S(r.Ece),
                new ReportCell(S(r.TestAccuracy, 100, 2), differs), S(r.HalfAccuracy, 100, 2)]);
            table.Add(p is null
                ? [$"paper: {label}", "–", "–", "–", "–", "–", "–"]
                : [$"paper: {label}", "10", N(p.TrainLoss), N(p.TestLoss), N(p.Ece), p.TestAccuracy.ToString("0.00", Ci), p.HalfAccuracy.ToString("0.00", Ci)]);
        }
        return new ReportTable("Table 2: train loss, test loss (NLL of the predictive), ECE and test accuracy (%), mean ± std over runs",
            ["", "Runs", "Train loss", "Test loss", "ECE", "Test acc (%)", "Test acc, half the epochs (%)"], table,
            string.Create(Ci, $"Highlighted: a test accuracy more than {AccuracyTolerance} points from the paper's. The paper: CIFAR-10 (CIFAR-100 for the BN and LN rows), 50 epochs (its half column is 25), 10 runs; see the deviations below."));
    }

    private static string N(double v) => v.ToString("0.000", Ci);

    private static string S(RunStat s, double scale = 1, int decimals = 3) => BnnReport.S(s, scale, decimals);
}
