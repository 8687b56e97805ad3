using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using AsymNet.Experiments.Report;
using AsymNet.Experiments.Runs;

namespace AsymNet.Experiments.Lmc;

/// <summary>
/// An LMC run folder in the report: Table 1's row for the run's task with this run's barriers next to the paper's
/// (a barrier outside the paper's mean ± max(2 std, <see cref="Tolerance"/>) is highlighted), the endpoint and midpoint
/// accuracies, Figure 3 (lmc.svg / lmc.png), and every field of the run's recipe that differs from the paper's.
/// </summary>
public sealed class LmcReportSource : IReportSource
{
    /// <summary>The smallest difference in test loss that counts as a difference from the paper.</summary>
    public const double Tolerance = 0.05;

    private static readonly CultureInfo Ci = CultureInfo.InvariantCulture;

    public string Experiment => LmcExperiment.ExperimentName;

    public ReportSection Read(string runDir, RunManifest manifest)
    {
        var config = ReportSources.Config(runDir, manifest);
        var model = config["model"]?.GetValue<string>() ?? throw new InvalidDataException($"{runDir}: the manifest's config names no model.");
        var dataset = config["dataset"]?.GetValue<string>() ?? "?";
        var scale = config["scale"]?.GetValue<string>() ?? "?";
        var summaries = ReportSources.Results<LmcVariantSummary>(manifest, LmcJson.Options);
        var paper = LmcPaperTable.For(model);
        var tables = new List<ReportTable>();
        var notes = new List<string>();
        if (summaries.Count == 0)
            notes.Add(ReportSources.NoResults(manifest));
        else
            tables.Add(Table1(paper, summaries, model, dataset));
        return new ReportSection
        {
            Title = $"LMC: {model} on {dataset} ({scale} scale)",
            Experiment = Experiment,
            RunDir = runDir,
            Manifest = manifest,
            Tables = tables,
            Figures = ReportSources.Figures(runDir, _ => $"Figure 3: test loss and accuracy along the linear path θ(λ) = (1−λ)θ1 + λθ2, {model} on {dataset}; mean over pairs, min..max band."),
            Deviations = Deviations(config, model),
            Notes = notes,
        };
    }

    private static ReportTable Table1(LmcPaperTable.Row paper, IReadOnlyList<LmcVariantSummary> summaries, string model, string dataset)
    {
        var header = new List<string> { "" };
        header.AddRange(summaries.Select(s => s.Variant.Label()));
        List<ReportCell> Row(string head, Func<LmcVariantSummary, ReportCell> cell) => [head, .. summaries.Select(cell)];
        var rows = new List<IReadOnlyList<ReportCell>>
        {
            Row($"this run: {model} ({dataset})", s => s.Pairs == 0 ? "–" : new ReportCell($"{LmcReport.Num(s.BarrierMean)} ± {LmcReport.Num(s.BarrierStd, 2)}", Differs(s, paper))),
            Row($"paper: {paper.Task}", s => $"{LmcReport.Num(paper.Barriers[s.Variant].Mean)} ± {LmcReport.Num(paper.Barriers[s.Variant].Std, 2)}"),
            Row("difference (this run − paper)", s => s.Pairs == 0 ? "–" : (s.BarrierMean - paper.Barriers[s.Variant].Mean).ToString("+0.000;−0.000;0.000", Ci)),
            Row("pairs (diverged)", s => s.DivergedPairs > 0 ? $"{s.Pairs} ({s.DivergedPairs})" : $"{s.Pairs}"),
            Row("endpoint test accuracy", s => LmcReport.Pct(s.EndpointAccuracyMean)),
            Row("midpoint test accuracy", s => LmcReport.Pct(s.MidpointAccuracyMean)),
            Row("max barrier over λ", s => LmcReport.Num(s.MaxBarrierMean)),
        };
        return new ReportTable("Table 1: midpoint test-loss barrier L(½θ1+½θ2) − ½(L(θ1)+L(θ2)), mean ± std over pairs", header, rows,
            string.Create(Ci, $"Highlighted: this run's barrier lies outside the paper's mean ± max(2 std, {Tolerance}). The paper's values are for its full recipe; see the deviations below."));
    }

    private static bool Differs(LmcVariantSummary s, LmcPaperTable.Row paper)
    {
        var (mean, std) = paper.Barriers[s.Variant];
        return Math.Abs(s.BarrierMean - mean) > Math.Max(2 * std, Tolerance);
    }

    /// <summary>The recipe fields in which the run differs from the paper's recipe for the same model, then the
    /// recipe's own notes on its reductions.</summary>
    private static List<string> Deviations(JsonObject config, string model) =>
        RecipeDeviations.Of(config, JsonSerializer.SerializeToNode(LmcRecipe.Resolve(new LmcConfig { Model = model, Scale = LmcScale.Paper }), LmcJson.Options)!.AsObject(),
            new HashSet<string> { "scale", "saveCheckpoints", "statisticsBatches", "evalBatchSize" });
}
