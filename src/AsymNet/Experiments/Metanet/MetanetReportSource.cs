using System.Globalization;
using System.Text.Json;
using AsymNet.Experiments.Report;
using AsymNet.Experiments.Runs;
using AsymNet.NN.Models;

namespace AsymNet.Experiments.Metanet;

/// <summary>
/// A metanet run folder in the report: Table 3, each metanet's test R² and Kendall τ on each zoo variant next to the
/// paper's (an R² more than <see cref="R2Tolerance"/> from the paper's is highlighted), and the recipe's differences
/// from the paper's (the recipe's defaults are the paper's). Rows come from the manifest's results. Table 3 has no figure.
/// </summary>
public sealed class MetanetReportSource : IReportSource
{
    /// <summary>The difference in test R² that counts as a difference from the paper.</summary>
    public const double R2Tolerance = 0.1;

    private static readonly CultureInfo Ci = CultureInfo.InvariantCulture;

    public string Experiment => MetanetExperiment.ExperimentName;

    public ReportSection Read(string runDir, RunManifest manifest)
    {
        var config = ReportSources.Config(runDir, manifest);
        var rows = ReportSources.Results<MetanetSummaryRow>(manifest, MetanetExperiment.JsonOptions);
        var zoo = config["zoo"]?.GetValue<string>() ?? "?";
        var paper = JsonSerializer.SerializeToNode(new MetanetRecipe(), MetanetRecipe.Json)!.AsObject();
        return new ReportSection
        {
            Title = $"Metanetworks (Table 3) on {Path.GetFileName(zoo.TrimEnd('/'))}/",
            Experiment = Experiment,
            RunDir = runDir,
            Manifest = manifest,
            Tables = rows.Count == 0 ? [] : [Table3(rows)],
            Deviations = RecipeDeviations.Of(config, paper, new HashSet<string> { "zoo", "metanets", "variants", "seed", "selectsLearningRate" }),
            Notes = rows.Count == 0 ? [ReportSources.NoResults(manifest)] : [$"Zoo: {zoo} (its own section shows how it was trained)."],
        };
    }

    private static ReportTable Table3(IReadOnlyList<MetanetSummaryRow> rows)
    {
        var table = rows.Select(r =>
        {
            var has = MetanetReport.Paper.TryGetValue((MetanetPresets.Parse(r.Metanet), r.Variant), out var p);
            var differs = has && !double.IsNaN(r.R2Mean) && Math.Abs(r.R2Mean - p.R2) > R2Tolerance;
            return (IReadOnlyList<ReportCell>)
            [
                r.Metanet, r.Variant, r.Lr.ToString("G3", Ci), r.Diverged > 0 ? $"{r.Runs} ({r.Diverged} diverged)" : r.Runs.ToString(Ci),
                new ReportCell(Num(r.R2Mean, r.R2Std), differs), Num(r.TauMean, r.TauStd), has ? Num(p.R2) : "–", has ? Num(p.Tau) : "–",
            ];
        }).ToList();
        return new ReportTable("Table 3: test R² and Kendall τ of the predicted test accuracy, mean ± std over the seeded runs",
            ["Metanet", "Zoo", "lr", "Runs", "Test R²", "Test τ", "Paper R²", "Paper τ"], table,
            string.Create(Ci, $"Highlighted: a test R² more than {R2Tolerance} from the paper's. The paper: zoos of 10,000 CIFAR-10 ResNet8s per variant."));
    }

    private static string Num(double mean, double? std = null) =>
        double.IsNaN(mean) ? "–" : std is { } sd ? string.Create(Ci, $"{mean:0.000} ± {sd:0.000}") : mean.ToString("0.000", Ci);
}
