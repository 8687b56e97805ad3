using System.Globalization;
using System.Text;
using AsymNet.Data;
using AsymNet.NN.Models;

namespace AsymNet.Experiments.Metanet;

/// <summary>Test R² and Kendall τ of one metanet on one zoo variant over its seeded runs (mean and sample std).</summary>
public sealed record MetanetSummaryRow(string Metanet, string Variant, double Lr, int Runs, int Diverged, double R2Mean, double R2Std, double TauMean, double TauStd);

/// <summary>
/// The run folder's tables: results.csv (every epoch's scores of every job), predictions.csv (each seeded run's
/// validation and test predictions at its selected epoch) and summary.md (Table 3 next to the paper's).
/// </summary>
public static class MetanetReport
{
    public const string ResultsFile = "results.csv";
    public const string PredictionsFile = "predictions.csv";
    public const string SummaryFile = "summary.md";

    /// <summary>Paper Table 3: test (R², τ) on the standard and the W-Asym ResNet8 zoo.</summary>
    public static readonly IReadOnlyDictionary<(MetanetKind, string), (double R2, double Tau)> Paper = new Dictionary<(MetanetKind, string), (double, double)>
    {
        [(MetanetKind.Mlp, "standard")] = (-0.171, 0.311),
        [(MetanetKind.Mlp, "w")] = (0.594, 0.864),
        [(MetanetKind.Dmc, "standard")] = (0.950, 0.787),
        [(MetanetKind.Dmc, "w")] = (0.967, 0.911),
        [(MetanetKind.DeepSets, "standard")] = (0.855, 0.617),
        [(MetanetKind.DeepSets, "w")] = (0.936, 0.858),
        [(MetanetKind.StatNN, "standard")] = (0.976, 0.866),
        [(MetanetKind.StatNN, "w")] = (0.978, 0.935),
    };

    public static IReadOnlyList<MetanetSummaryRow> Write(string runDir, MetanetRecipe recipe, IReadOnlyList<MetanetRunResult> finished, string? timing)
    {
        WriteResults(Path.Combine(runDir, ResultsFile), finished);
        WritePredictions(Path.Combine(runDir, PredictionsFile), finished);
        var rows = Summarize(recipe, finished);
        WriteText(Path.Combine(runDir, SummaryFile), Summary(recipe, rows, finished, timing));
        return rows;
    }

    public static IReadOnlyList<MetanetSummaryRow> Summarize(MetanetRecipe recipe, IReadOnlyList<MetanetRunResult> finished) =>
        recipe.Metanets.SelectMany(m => recipe.Variants.Select(v => (m, v)))
            .Select(p =>
            {
                var runs = finished.Where(r => !r.Job.IsSelection && r.Job.Metanet == p.m && r.Job.Variant == p.v).ToList();
                var ok = runs.Where(r => !r.Diverged && r.Test is not null).ToList();
                var (r2, r2Std) = MeanStd(ok.Select(r => r.Test!.R2));
                var (tau, tauStd) = MeanStd(ok.Select(r => r.Test!.Tau));
                return new MetanetSummaryRow(MetanetPresets.Name(p.m), p.v, runs.Count > 0 ? runs[0].Job.Lr : double.NaN, ok.Count, runs.Count - ok.Count, r2, r2Std, tau, tauStd);
            })
            .Where(r => r.Runs + r.Diverged > 0)
            .ToList();

    private static void WriteResults(string path, IReadOnlyList<MetanetRunResult> finished)
    {
        var sb = new StringBuilder("metanet,variant,lr,run,phase,epoch,split,mse,r2,tau\n");
        foreach (var r in finished)
        {
            var head = $"{MetanetPresets.Name(r.Job.Metanet)},{r.Job.Variant},{F(r.Job.Lr)},{r.Job.Run},{(r.Job.IsSelection ? "trial" : "run")}";
            foreach (var e in r.Epochs)
            {
                sb.Append(CultureInfo.InvariantCulture, $"{head},{e.Epoch},train,{F(e.TrainMse)},,\n");
                Row(e.Epoch, "val", e.Validation);
                if (e.Test is not null) Row(e.Epoch, "test", e.Test);
            }

            void Row(int epoch, string split, MetanetScores s) =>
                sb.Append(CultureInfo.InvariantCulture, $"{head},{epoch},{split},{F(s.Mse)},{F(s.R2)},{F(s.Tau)}\n");
        }
        WriteText(path, sb.ToString());
    }

    private static void WritePredictions(string path, IReadOnlyList<MetanetRunResult> finished)
    {
        var sb = new StringBuilder("metanet,variant,run,epoch,split,index,target,prediction\n");
        foreach (var r in finished.Where(r => !r.Job.IsSelection))
            foreach (var p in r.Predictions)
                sb.Append(CultureInfo.InvariantCulture, $"{MetanetPresets.Name(r.Job.Metanet)},{r.Job.Variant},{r.Job.Run},{r.BestEpoch},{p.Split},{p.Index},{F(p.Target)},{F(p.Prediction)}\n");
        WriteText(path, sb.ToString());
    }

    private static string Summary(MetanetRecipe recipe, IReadOnlyList<MetanetSummaryRow> rows, IReadOnlyList<MetanetRunResult> finished, string? timing)
    {
        var sb = new StringBuilder("# Metanetworks predicting test accuracy (paper Table 3)\n\n");
        sb.Append(CultureInfo.InvariantCulture, $"Zoo: `{recipe.Zoo}`. Test R² and Kendall τ at each run's best-validation-R² epoch, mean ± std over the seeded runs; paper values in the last columns.\n\n");
        sb.Append("| Metanet | Zoo | lr | Runs | Test R² | Test τ | Paper R² | Paper τ |\n|---|---|---|---|---|---|---|---|\n");
        foreach (var r in rows)
        {
            var has = Paper.TryGetValue((MetanetPresets.Parse(r.Metanet), r.Variant), out var paper);
            sb.Append(CultureInfo.InvariantCulture,
                $"| {r.Metanet} | {r.Variant} | {F(r.Lr)} | {r.Runs}{(r.Diverged > 0 ? $" (+{r.Diverged} diverged)" : "")} | {PlusMinus(r.R2Mean, r.R2Std)} | {PlusMinus(r.TauMean, r.TauStd)} | {(has ? paper.R2.ToString("0.000", CultureInfo.InvariantCulture) : "–")} | {(has ? paper.Tau.ToString("0.000", CultureInfo.InvariantCulture) : "–")} |\n");
        }
        var trials = finished.Where(r => r.Job.IsSelection).ToList();
        if (trials.Count > 0)
        {
            sb.Append("\n## Learning-rate trials (best validation R² per trial)\n\n| Metanet | Zoo | lr | Best epoch | Val R² | Val τ |\n|---|---|---|---|---|---|\n");
            foreach (var t in trials)
                sb.Append(CultureInfo.InvariantCulture,
                    $"| {MetanetPresets.Name(t.Job.Metanet)} | {t.Job.Variant} | {F(t.Job.Lr)} | {(t.Diverged ? "diverged" : t.BestEpoch.ToString(CultureInfo.InvariantCulture))} | {G(t.BestValidation?.R2)} | {G(t.BestValidation?.Tau)} |\n");
        }
        var n = finished.FirstOrDefault();
        if (n is not null) sb.Append(CultureInfo.InvariantCulture, $"\nTraining networks per run: {n.TrainNetworks}; recipe: {recipe.Epochs} epochs, batch {recipe.BatchSize}, AdamW weight decay {F(recipe.WeightDecay)}, {recipe.Runs} seeded run(s), seed {recipe.Seed}.\n");
        if (timing is not null) sb.Append('\n').Append(timing).Append('\n');
        return sb.ToString();
    }

    private static (double Mean, double Std) MeanStd(IEnumerable<double> values)
    {
        var v = values.ToList();
        if (v.Count == 0) return (double.NaN, double.NaN);
        var mean = v.Average();
        return (mean, v.Count > 1 ? Math.Sqrt(v.Sum(x => (x - mean) * (x - mean)) / (v.Count - 1)) : 0);
    }

    private static string PlusMinus(double mean, double std) =>
        double.IsNaN(mean) ? "–" : string.Create(CultureInfo.InvariantCulture, $"{mean:0.000} ± {std:0.000}");

    private static string G(double? v) => v is { } x && !double.IsNaN(x) ? x.ToString("0.000", CultureInfo.InvariantCulture) : "–";

    private static string F(double v) => v.ToString("G6", CultureInfo.InvariantCulture);

    private static void WriteText(string path, string text) => AtomicFile.Write(path, s => s.Write(Encoding.UTF8.GetBytes(text)));
}
