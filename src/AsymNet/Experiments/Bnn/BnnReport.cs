using System.Globalization;
using System.Text;
using AsymNet.Data;
using AsymNet.Experiments.Figures;
using AsymNet.NN.Models;

namespace AsymNet.Experiments.Bnn;

/// <summary>Mean and sample standard deviation over runs (NaN when there are none; std 0 for one run).</summary>
public readonly record struct RunStat(double Mean, double Std)
{
    public static RunStat Of(IEnumerable<double> values)
    {
        var v = values.Where(double.IsFinite).ToList();
        if (v.Count == 0) return new(double.NaN, double.NaN);
        var mean = v.Average();
        return new(mean, v.Count > 1 ? Math.Sqrt(v.Sum(x => (x - mean) * (x - mean)) / (v.Count - 1)) : 0);
    }
}

/// <summary>One Table 2 row: a (model, variant) over its finished runs (diverged runs counted, not averaged).</summary>
public sealed record BnnRowSummary(string Model, string Label, Variant Variant, int Runs, int Diverged,
    RunStat TrainLoss, RunStat TestNll, RunStat Ece, RunStat TestAccuracy, RunStat HalfAccuracy);

/// <summary>The run folder's tables and figure, rebuilt from every finished job.</summary>
public static class BnnReport
{
    public const string ResultsFile = "results.csv";
    public const string PredictionsFile = "predictions.csv";
    public const string SummaryFile = "summary.md";
    public const string FigureName = "bnn";
    private static readonly CultureInfo Ci = CultureInfo.InvariantCulture;

    public static IReadOnlyList<BnnRowSummary> Write(string runDir, BnnRecipe recipe, IReadOnlyList<BnnRunResult> finished, string? timing)
    {
        var ordered = Ordered(recipe, finished);
        var rows = Summarize(recipe, ordered);
        WriteText(Path.Combine(runDir, ResultsFile), ResultsCsv(ordered));
        WritePredictions(runDir, ordered);
        WriteText(Path.Combine(runDir, SummaryFile), SummaryMarkdown(recipe, rows, timing));
        if (ordered.Any(r => r.Epochs.Count > 0)) Figure(recipe, ordered).Save(runDir, FigureName);
        return rows;
    }

    private static List<BnnRunResult> Ordered(BnnRecipe recipe, IEnumerable<BnnRunResult> results) =>
        [.. results.OrderBy(r => recipe.Models.ToList().FindIndex(m => m.Name == r.Model)).ThenBy(r => r.Variant).ThenBy(r => r.Run)];

    public static IReadOnlyList<BnnRowSummary> Summarize(BnnRecipe recipe, IReadOnlyList<BnnRunResult> finished) =>
        [.. from m in recipe.Models
            from v in recipe.Variants
            let runs = finished.Where(r => r.Model == m.Name && r.Variant == v).ToList()
            let ok = runs.Where(r => !r.Diverged && r.Final is not null).ToList()
            select new BnnRowSummary(m.Name, m.Label, v, runs.Count, runs.Count(r => r.Diverged),
                RunStat.Of(ok.Select(r => r.Final!.TrainLoss)), RunStat.Of(ok.Select(r => r.Final!.TestNll ?? double.NaN)),
                RunStat.Of(ok.Select(r => r.Final!.Ece ?? double.NaN)), RunStat.Of(ok.Select(r => r.Final!.TestAccuracy ?? double.NaN)),
                RunStat.Of(ok.Select(r => r.HalfEpochAccuracy ?? double.NaN)))];

    /// <summary>Tidy: one row per (model, variant, run, epoch); test columns are empty on epochs without an evaluation.</summary>
    public static string ResultsCsv(IReadOnlyList<BnnRunResult> results)
    {
        var sb = new StringBuilder("model,variant,run,epoch,train_loss,train_nll,kl_per_n,test_nll,test_accuracy,ece,diverged\n");
        foreach (var r in results)
            foreach (var e in r.Epochs)
                sb.Append(Ci, $"{r.Model},{r.Job.VariantName},{r.Run},{e.Epoch},{R(e.TrainLoss)},{R(e.TrainNll)},{R(e.KlPerN)},{R(e.TestNll)},{R(e.TestAccuracy)},{R(e.Ece)},{(r.Diverged ? 1 : 0)}\n");
        return sb.ToString();
    }

    private static string R(double? v) => v is { } x ? x.ToString("R", Ci) : "";

    /// <summary>predictions.csv: every finished run's per-job predictions/*.csv with model, variant and run in front.</summary>
    private static void WritePredictions(string runDir, IReadOnlyList<BnnRunResult> results)
    {
        var files = results.Select(r => (r, Path: Path.Combine(runDir, BnnExperiment.PredictionsDir, r.Job.Id + ".csv"))).Where(x => File.Exists(x.Path)).ToList();
        AtomicFile.Write(Path.Combine(runDir, PredictionsFile), stream =>
        {
            using var w = new StreamWriter(stream, new UTF8Encoding(false), leaveOpen: true);
            var header = false;
            foreach (var (r, path) in files)
            {
                using var reader = new StreamReader(path);
                var first = reader.ReadLine() ?? throw new InvalidDataException($"{path} is empty.");
                if (!header) w.Write("model,variant,run," + first + "\n");
                header = true;
                var prefix = $"{r.Model},{r.Job.VariantName},{r.Run.ToString(Ci)},";
                while (reader.ReadLine() is { } line) w.Write(prefix + line + "\n");
            }
            if (!header) w.Write("model,variant,run,index,label\n");
        });
    }

    public static string SummaryMarkdown(BnnRecipe recipe, IReadOnlyList<BnnRowSummary> rows, string? timing)
    {
        var sb = new StringBuilder();
        sb.Append(Ci, $"# BNN by variational inference (Table 2), {recipe.Scale.ToString().ToLowerInvariant()} scale\n\n");
        foreach (var m in recipe.Models)
            sb.Append(Ci, $"- {m.Label}: {m.Dataset}, Adam lr {m.LearningRate:G3}, ELRG rank {m.Posterior.Rank}, log s {m.Posterior.InitLogVariance:G3} ({(m.Posterior.LearnDiagonal ? "learned" : "fixed")}), prior precision {m.Posterior.PriorPrecision:G3} (scaled)\n");
        sb.Append(Ci, $"- {recipe.Epochs} epochs, batch {recipe.BatchSize}, {recipe.TestSamples} posterior samples per test image, augmentation {recipe.Augmentation} (N_data = train × {recipe.AugmentationMultiplier}), seed {recipe.Seed}\n");
        foreach (var n in recipe.Notes) sb.Append("- ").Append(n).Append('\n');
        sb.Append(Ci, $"\nMean ± std over runs; train loss = the NLL data term, rolling mean over the last {recipe.LossWindow} steps; test loss = NLL of the {recipe.TestSamples}-sample predictive; ");
        sb.Append(Ci, $"\"half\" = test accuracy at epoch {recipe.HalfEpoch}. Paper: CIFAR-10/100, 50 epochs, 10 runs (its half column is 25 epochs).\n\n");
        sb.Append("| Model | Runs | Train loss | Test loss | ECE | Test acc (%) | Test acc half (%) | Paper: train / test / ECE / acc / acc 25 ep |\n");
        sb.Append("|---|---|---|---|---|---|---|---|\n");
        foreach (var r in rows)
        {
            var paper = BnnPaperTable.For(r.Model, r.Variant);
            var label = (r.Variant == Variant.W ? "W-Asym " : "") + r.Label;
            var runs = r.Diverged > 0 ? $"{r.Runs} ({r.Diverged} diverged)" : r.Runs.ToString(Ci);
            sb.Append(Ci, $"| {label} | {runs} | {S(r.TrainLoss)} | {S(r.TestNll)} | {S(r.Ece)} | {S(r.TestAccuracy, 100, 2)} | {S(r.HalfAccuracy, 100, 2)} | ");
            sb.Append(paper is null ? "–" : string.Create(Ci, $"{paper.TrainLoss:0.###} / {paper.TestLoss:0.###} / {paper.Ece:.000} / {paper.TestAccuracy:0.00} / {paper.HalfAccuracy:0.00}"));
            sb.Append(" |\n");
        }
        if (timing is not null) sb.Append('\n').Append(timing).Append('\n');
        return sb.ToString();
    }

    /// <summary>"mean ± std" of a run statistic (scaled; "–" when there is none).</summary>
    internal static string S(RunStat s, double scale = 1, int decimals = 3) =>
        double.IsNaN(s.Mean) ? "–" : (s.Mean * scale).ToString("F" + decimals, Ci) + " ± " + (s.Std * scale).ToString("F" + decimals, Ci);

    /// <summary>Figure 4: train loss per epoch, standard vs W-Asym, mean over runs with a min..max band; one panel per model.</summary>
    public static Figure Figure(BnnRecipe recipe, IReadOnlyList<BnnRunResult> results)
    {
        var panels = new List<Panel>();
        foreach (var m in recipe.Models)
        {
            var lines = new List<Line>();
            foreach (var v in recipe.Variants)
            {
                var curves = results.Where(r => r.Model == m.Name && r.Variant == v && r.Epochs.Count > 0).Select(r => r.Epochs).ToList();
                if (curves.Count == 0) continue;
                var n = curves.Min(c => c.Count);
                var x = Enumerable.Range(1, n).Select(e => (double)e).ToArray();
                double[] At(Func<List<double>, double> f) => [.. Enumerable.Range(0, n).Select(i => f([.. curves.Select(c => c[i].TrainLoss)]))];
                var label = (v == Variant.W ? "W-Asym " : "") + m.Label;
                lines.Add(curves.Count > 1
                    ? new Line($"{label} (n={curves.Count})", Palette.Of(v), x, At(l => l.Average()), At(l => l.Min()), At(l => l.Max()))
                    : new Line(label, Palette.Of(v), x, At(l => l[0])));
            }
            if (lines.Count > 0) panels.Add(new LinePanel($"{m.Label} ({m.Dataset})", "epoch", "train loss (NLL)", lines));
        }
        return new Figure([.. panels]);
    }

    public static void WriteText(string path, string text) => AtomicFile.Write(path, s => s.Write(new UTF8Encoding(false).GetBytes(text)));
}
