using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using AsymNet.Experiments.Jobs;

namespace AsymNet.Experiments.Lmc.Tuning;

/// <summary>
/// The tables of a tuning run folder, rebuilt from every finished search job (and the test run's pairs, when there
/// are any): tune.csv (one row per search pair and curve), tune.json (every cell, the choice per variant, the test
/// barriers) and summary.md (the choice, the test table, the search grid).
/// </summary>
public static class LmcTuneReport
{
    public const string TableFile = "tune.csv";
    public const string ChoiceFile = "tune.json";

    private static readonly CultureInfo Ci = CultureInfo.InvariantCulture;

    public static JsonNode Write(LmcTuneExperiment e, IReadOnlyList<LmcTuneTrialResult> finished, string? timing)
    {
        var r = e.Recipe;
        var choices = r.Families.Select(f => LmcTuneSelection.Choose(r, finished, f)).OfType<LmcTuneChoice>().ToList();
        var final = e.FinalRecipe(finished);
        var test = final is null ? [] : TestPairs(final, e.TestRunDir);
        var summaries = final is null || test.Count == 0 ? null : LmcStatistics.Summarize(final.Variants, test);
        LmcReport.WriteText(Path.Combine(e.RunDir, TableFile), Csv(r, finished, choices));
        var json = Json(r, finished, choices, summaries);
        LmcReport.WriteText(Path.Combine(e.RunDir, ChoiceFile), json.ToJsonString(LmcJson.Options) + "\n");
        LmcReport.WriteText(Path.Combine(e.RunDir, LmcReport.SummaryFile), Markdown(e, finished, choices, summaries, timing));
        return json;
    }

    /// <summary>The finished pairs of the test run in <paramref name="testDir"/> (none before it started).</summary>
    public static IReadOnlyList<LmcPairResult> TestPairs(LmcRecipe final, string testDir)
    {
        if (!File.Exists(Path.Combine(testDir, JobEngine.RecipeFile))) return [];
        var test = new LmcExperiment(final, testDir);
        return [.. test.Jobs().Select(j => JobStore.TryRead(test, j)).OfType<LmcPairResult>()];
    }

    private static bool IsChosen(IReadOnlyList<LmcTuneChoice> choices, LmcHyperparameters values) => choices.Any(c => c.Chosen.Values == values);

    public static string Csv(LmcTuneRecipe r, IReadOnlyList<LmcTuneTrialResult> finished, IReadOnlyList<LmcTuneChoice> choices)
    {
        var sb = new StringBuilder("variant,epochs,lr,weight_decay,pair,diverged,validation_barrier,validation_accuracy,chosen\n");
        foreach (var t in finished)
            foreach (var v in LmcVariants.All.Where(v => v.Family() == t.Values.Family && (v == LmcTuneRecipe.Primary(t.Values.Family) || t.Barrier(v) is not null)))
            {
                var (values, barrier) = (t.Values, t.Barrier(v));
                sb.Append(Ci, $"{v.Name()},{values.Epochs},{values.LearningRate:R},{values.WeightDecay:R},{t.Pair},{(t.Diverged ? "true" : "false")},");
                sb.Append(Ci, $"{(barrier is { } b ? b.ToString("R", Ci) : "")},{(t.Diverged ? "" : t.Accuracy.ToString("R", Ci))},{(IsChosen(choices, values) ? "true" : "false")}\n");
            }
        return sb.ToString();
    }

    private static JsonObject Json(LmcTuneRecipe r, IReadOnlyList<LmcTuneTrialResult> finished, IReadOnlyList<LmcTuneChoice> choices,
        IReadOnlyList<LmcVariantSummary>? summaries)
    {
        var o = new JsonObject
        {
            ["complete"] = choices.Count == r.Families.Count,
            ["validationImages"] = r.Base.ValidHoldout,
            ["grid"] = r.Grid.ToString(),
            ["searchPairs"] = r.SearchPairs,
            ["choices"] = JsonSerializer.SerializeToNode(choices.Select(c => new
            {
                variants = r.Base.Variants.Where(v => v.Family() == c.Family).Select(v => v.Name()),
                c.Chosen.Values.Epochs, c.Chosen.Values.LearningRate, c.Chosen.Values.WeightDecay,
                c.Chosen.ValidationBarrier, c.Chosen.ValidationAccuracy,
                defaultValidationBarrier = c.Default?.ValidationBarrier, defaultValidationAccuracy = c.Default?.ValidationAccuracy,
            }), LmcJson.Options),
            ["cells"] = JsonSerializer.SerializeToNode(r.Families.SelectMany(f => LmcTuneSelection.Cells(r, finished, f)).Select(c => new
            {
                variant = LmcTuneRecipe.Primary(c.Values.Family).Name(), c.Values.Epochs, c.Values.LearningRate, c.Values.WeightDecay,
                c.Pairs, c.DivergedPairs, c.ValidationBarrier, c.ValidationAccuracy, chosen = IsChosen(choices, c.Values),
            }), LmcJson.Options),
        };
        if (summaries is not null)
            o["test"] = JsonSerializer.SerializeToNode(summaries.Select(s => new
            {
                variant = s.Variant.Name(), s.Pairs, s.DivergedPairs, s.BarrierMean, s.BarrierStd, s.EndpointAccuracyMean, s.MidpointAccuracyMean,
            }), LmcJson.Options);
        return o;
    }

    private static string Markdown(LmcTuneExperiment e, IReadOnlyList<LmcTuneTrialResult> finished, IReadOnlyList<LmcTuneChoice> choices,
        IReadOnlyList<LmcVariantSummary>? summaries, string? timing)
    {
        var (r, b) = (e.Recipe, e.Recipe.Base);
        var sb = new StringBuilder();
        sb.Append(Ci, $"# Tuned linear mode connectivity: {b.Model} on {b.Dataset} ({b.Scale.ToString().ToLowerInvariant()} scale)\n\n");
        sb.Append(Ci, $"The paper's protocol (E.1.1, docs/paper.md#lmc-mlp-tuning): per kind of network, the epochs, learning rate and weight decay ");
        sb.Append(Ci, $"with the lowest midpoint barrier, measured here on {b.ValidHoldout:N0} validation images held out of the training data (never the test set); ");
        sb.Append(Ci, $"then {b.Pairs} fresh pair(s) per variant with the chosen values, measured on the test set ({LmcTuneExperiment.TestDir}/, an ordinary `asym lmc` run folder). ");
        sb.Append(Ci, $"Grid `{r.Grid}`, {r.SearchPairs} pair(s) per cell; each cell's pair k uses the same seeds. Git Re-Basin aligns the standard networks, so it uses the standard values.\n\n");

        sb.Append("## Chosen values\n\n| Variant | epochs | lr | weight decay | validation barrier | validation accuracy | at the recipe's values |\n|---|---|---|---|---|---|---|\n");
        foreach (var c in choices)
        {
            var v = c.Chosen.Values;
            var untuned = c.Default is { } d ? $"{LmcReport.Num(d.ValidationBarrier, 4)} ({LmcReport.Pct(d.ValidationAccuracy)})" : "not in the grid";
            sb.Append(Ci, $"| {LmcTuneRecipe.Primary(c.Family).Label()} | {v.Epochs} | {v.LearningRate:G6} | {v.WeightDecay:G6} | {LmcReport.Num(c.Chosen.ValidationBarrier, 4)} | {LmcReport.Pct(c.Chosen.ValidationAccuracy)} | {untuned} |\n");
        }
        var total = e.Jobs().Count;
        if (choices.Count < r.Families.Count) sb.Append(Ci, $"\nThe search is not finished: {finished.Count} of {total} jobs.\n");

        sb.Append("\n## Test barriers with the chosen values\n\n");
        if (summaries is null) sb.Append("Not measured yet (the test run starts when the search is finished).\n");
        else
        {
            var paper = LmcPaperTable.For(b.Model);
            sb.Append("| Variant | barrier (mean ± std) | pairs | endpoint / midpoint test accuracy | paper |\n|---|---|---|---|---|\n");
            foreach (var s in summaries)
                sb.Append(Ci, $"| {s.Variant.Label()} | {LmcReport.Num(s.BarrierMean)} ± {LmcReport.Num(s.BarrierStd, 2)} | {s.Pairs} | {LmcReport.Pct(s.EndpointAccuracyMean)} / {LmcReport.Pct(s.MidpointAccuracyMean)} | {LmcReport.Num(paper.Barriers[s.Variant].Mean)} ± {LmcReport.Num(paper.Barriers[s.Variant].Std, 2)} |\n");
            sb.Append(Ci, $"\nCurves, per-pair barriers and the figure: {LmcTuneExperiment.TestDir}/summary.md.\n");
        }

        sb.Append("\n## Search: validation midpoint barrier (validation accuracy), mean over the cell's pairs\n\n");
        var columns = LmcVariants.All.Where(v => r.Families.Contains(v.Family()) && (v == LmcTuneRecipe.Primary(v.Family()) || b.Variants.Contains(v))).ToList();
        sb.Append("| epochs | lr | weight decay | ").Append(string.Join(" | ", columns.Select(v => v.Label()))).Append(" |\n|---|---|---|")
            .Append(string.Concat(columns.Select(_ => "---|"))).Append('\n');
        foreach (var cell in r.Grid.Cells(r.Families[0]))
        {
            sb.Append(Ci, $"| {cell.Epochs} | {cell.LearningRate:G6} | {cell.WeightDecay:G6} |");
            foreach (var v in columns)
            {
                var values = cell with { Family = v.Family() };
                var trials = finished.Where(t => t.Values == values).ToList();
                var ok = trials.Where(t => !t.Diverged && t.Barrier(v) is not null).ToList();
                var text = trials.Count == 0 ? "–" : ok.Count < trials.Count ? "diverged"
                    : $"{LmcReport.Num(ok.Average(t => t.Barrier(v)!.Value), 4)} ({LmcReport.Pct(ok.Average(t => t.Accuracy))})";
                sb.Append(' ').Append(IsChosen(choices, values) && ok.Count > 0 ? $"**{text}**" : text).Append(" |");
            }
            sb.Append('\n');
        }
        sb.Append("\nBold: the chosen cell of each kind of network (re-basin shares the standard's). Per-pair values: tune.csv.\n");
        if (timing is not null) sb.Append('\n').Append(timing).Append('\n');
        return sb.ToString();
    }
}
