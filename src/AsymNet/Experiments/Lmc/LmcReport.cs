using System.Globalization;
using System.Text;
using AsymNet.Data;
using AsymNet.Experiments.Figures;
using AsymNet.Symmetry.Interpolation;

namespace AsymNet.Experiments.Lmc;

/// <summary>
/// Writes a run folder's tables and figure from its finished pairs: results.csv (tidy: pair, variant, lambda,
/// test_loss, test_accuracy), barriers.csv (one row per pair and variant), summary.md (the Table 1 row with context)
/// and lmc.svg / lmc.png (Figure 3: mean curve and min–max band per variant). Every file is written atomically, and all of them
/// are rebuilt from the pair files, so a resumed run's tables cover old and new pairs alike.
/// </summary>
public static class LmcReport
{
    public const string ResultsFile = "results.csv";
    public const string BarriersFile = "barriers.csv";
    public const string SummaryFile = "summary.md";
    public const string FigureName = "lmc";
    public const string FigureFile = FigureName + ".svg";
    public const string FigurePngFile = FigureName + ".png";
    public const string EpochsFile = "epochs.csv";

    private static readonly CultureInfo Ci = CultureInfo.InvariantCulture;

    public static IReadOnlyList<LmcVariantSummary> Write(string runDir, LmcRecipe recipe, IReadOnlyList<LmcPairResult> pairs, string? timing = null)
    {
        var ordered = pairs.OrderBy(p => p.Pair).ThenBy(p => p.Family).ToList();
        var summaries = LmcStatistics.Summarize(recipe.Variants, ordered);
        WriteText(Path.Combine(runDir, ResultsFile), ResultsCsv(recipe, ordered));
        WriteText(Path.Combine(runDir, BarriersFile), BarriersCsv(recipe, ordered));
        WriteText(Path.Combine(runDir, EpochsFile), EpochsCsv(ordered));
        WriteText(Path.Combine(runDir, SummaryFile), SummaryMarkdown(recipe, summaries, ordered, timing));
        if (summaries.Any(s => s.Pairs > 0)) Figure(recipe, ordered).Save(runDir, FigureName);
        return summaries;
    }

    /// <summary>Writes a text file atomically as UTF-8 without a byte-order mark.</summary>
    public static void WriteText(string path, string text) => AtomicFile.Write(path, s =>
    {
        var bytes = new UTF8Encoding(false).GetBytes(text);
        s.Write(bytes);
    });

    private static IEnumerable<(LmcPairResult Pair, LmcCurveResult Curve)> Curves(LmcRecipe recipe, IReadOnlyList<LmcPairResult> pairs) =>
        recipe.Variants.SelectMany(v => pairs.Where(p => p.Family == v.Family())
            .SelectMany(p => p.Curves.Where(c => c.Variant == v).Select(c => (p, c))));

    public static string ResultsCsv(LmcRecipe recipe, IReadOnlyList<LmcPairResult> pairs)
    {
        var sb = new StringBuilder("pair,variant,lambda,test_loss,test_accuracy\n");
        foreach (var (pair, curve) in Curves(recipe, pairs))
            foreach (var p in curve.Points)
                sb.Append(Ci, $"{pair.Pair},{curve.Variant.Name()},{p.Lambda:R},{p.Loss:R},{p.Accuracy:R}\n");
        return sb.ToString();
    }

    public static string BarriersCsv(LmcRecipe recipe, IReadOnlyList<LmcPairResult> pairs)
    {
        var sb = new StringBuilder("pair,variant,diverged,midpoint_barrier,max_barrier,max_loss,midpoint_accuracy_drop,loss_0,loss_1,accuracy_0,accuracy_1,distance_per_parameter\n");
        foreach (var v in recipe.Variants)
            foreach (var pair in pairs.Where(p => p.Family == v.Family()))
            {
                if (pair.Curves.FirstOrDefault(c => c.Variant == v) is not { } c)
                {
                    if (pair.Diverged) sb.Append(Ci, $"{pair.Pair},{v.Name()},true,,,,,,,,,\n");
                    continue;
                }
                var (s, e) = (c.Curve.Start, c.Curve.End);
                sb.Append(Ci, $"{pair.Pair},{v.Name()},false,{c.MidpointBarrier:R},{c.MaxBarrier:R},{c.MaxLoss:R},{c.MidpointAccuracyDrop:R},{s.Loss:R},{e.Loss:R},{s.Accuracy:R},{e.Accuracy:R},{(c.DistancePerParameter is { } d ? d.ToString("R", Ci) : "")}\n");
            }
        return sb.ToString();
    }

    /// <summary>One row per network and epoch: training loss, training accuracy and (graphs) validation accuracy.</summary>
    public static string EpochsCsv(IReadOnlyList<LmcPairResult> pairs)
    {
        var sb = new StringBuilder("pair,family,network,epoch,train_loss,train_accuracy,valid_accuracy,learning_rate\n");
        foreach (var pair in pairs)
            for (var k = 0; k < pair.Networks.Count; k++)
                foreach (var e in pair.Networks[k].Epochs ?? [])
                    sb.Append(Ci, $"{pair.Pair},{pair.Family.ToString().ToLowerInvariant()},{k},{e.Epoch},{e.TrainLoss:R},{e.TrainAccuracy:R},{e.ValidAccuracy:R},{e.LearningRate:R}\n");
        return sb.ToString();
    }

    /// <summary>Mean over a family's networks of the best training and validation accuracy over epochs (paper Appendix A's
    /// overfitting comparison); NaN when not recorded.</summary>
    public static (double Train, double Valid) BestAccuracies(IReadOnlyList<LmcPairResult> pairs, LmcVariant variant)
    {
        var epochs = pairs.Where(p => p.Family == variant.Family()).SelectMany(p => p.Networks).Where(n => !n.Diverged && n.Epochs is { Count: > 0 }).Select(n => n.Epochs!).ToList();
        double Best(Func<LmcEpochProgress, double> f) => epochs.Select(e => e.Select(f).Where(double.IsFinite).DefaultIfEmpty(double.NaN).Max()).DefaultIfEmpty(double.NaN).Average();
        return (Best(e => e.TrainAccuracy), Best(e => e.ValidAccuracy));
    }

    public static string SummaryMarkdown(LmcRecipe recipe, IReadOnlyList<LmcVariantSummary> summaries, IReadOnlyList<LmcPairResult> pairs, string? timing)
    {
        var paper = LmcPaperTable.For(recipe.Model);
        var sb = new StringBuilder();
        sb.Append(Ci, $"# Linear mode connectivity: {recipe.Model} on {recipe.Dataset} ({recipe.Scale.ToString().ToLowerInvariant()} scale)\n\n");
        sb.Append("Midpoint test-loss barrier L(½θ1+½θ2) − ½(L(θ1)+L(θ2)), mean ± sample std over pairs (paper Table 1). ");
        sb.Append(Ci, $"λ ∈ linspace(0, 1, {recipe.Points}).\n\n");
        var cols = summaries.Select(s => s.Variant).ToList();
        sb.Append("| | ").Append(string.Join(" | ", cols.Select(v => v.Label()))).Append(" |\n");
        sb.Append("|---|").Append(string.Concat(cols.Select(_ => "---|"))).Append('\n');
        Row(sb, $"**{recipe.Model} ({recipe.Dataset}), this run**", summaries, s => s.Pairs == 0 ? "–" : $"**{Num(s.BarrierMean)} ± {Num(s.BarrierStd, 2)}**");
        Row(sb, "pairs (diverged)", summaries, s => s.DivergedPairs > 0 ? $"{s.Pairs} ({s.DivergedPairs})" : $"{s.Pairs}");
        Row(sb, "endpoint test accuracy", summaries, s => Pct(s.EndpointAccuracyMean));
        Row(sb, "midpoint test accuracy", summaries, s => Pct(s.MidpointAccuracyMean));
        Row(sb, "endpoint test loss", summaries, s => Num(s.EndpointLossMean));
        Row(sb, "max barrier over λ (mean over pairs)", summaries, s => Num(s.MaxBarrierMean));
        Row(sb, "monotonic from either end (Δ)", summaries, s => double.IsNaN(s.MonotonicEitherEndPercent) ? "–" : $"{s.MonotonicEitherEndPercent.ToString("0", Ci)}% ({Num(s.EitherEndDeltaMean)})");
        Row(sb, "distance per parameter", summaries, s => double.IsNaN(s.DistancePerParameterMean) ? "–" : s.DistancePerParameterMean.ToString("0.000e0", Ci));
        if (recipe.IsGraph)
        {
            Row(sb, "best train accuracy (over epochs)", summaries, s => Pct(BestAccuracies(pairs, s.Variant).Train));
            Row(sb, "best validation accuracy (over epochs)", summaries, s => Pct(BestAccuracies(pairs, s.Variant).Valid));
        }
        Row(sb, $"paper: {paper.Task}", summaries, s => $"{Num(paper.Barriers[s.Variant].Mean)} ± {Num(paper.Barriers[s.Variant].Std, 2)}");
        sb.Append("\n").Append(TableNote).Append(" Accuracies are means over both endpoints of every pair. ");
        sb.Append("Distance per parameter (paper Appendix A): ‖θ1 − θ2‖₂ over the whole state dict (W-Asym weights as effective weights, buffers included) divided by the trainable parameters, mean over pairs; re-basin: after alignment.\n");
        sb.Append("Monotonic from either end (beyond the paper): the share of pairs whose test loss falls monotonically walking from one end or the other, ");
        sb.Append("i.e. the path has no bump; Δ is the largest rise between neighbouring points from that end, as in the MLI statistics (docs/mli.md).\n");

        var diverged = pairs.Where(p => p.Diverged).ToList();
        if (diverged.Count > 0)
        {
            sb.Append("\n## Diverged pairs\n\n");
            foreach (var p in diverged)
                foreach (var n in p.Networks.Where(n => n.Diverged))
                    sb.Append(Ci, $"- pair {p.Pair} ({p.Family.ToString().ToLowerInvariant()}), init seed {n.InitSeed}: {n.DivergenceReason}\n");
        }

        sb.Append("\n## Recipe\n\n");
        foreach (var v in recipe.Variants.Where(v => v != LmcVariant.Rebasin))
            sb.Append(Ci, $"- {v.Label()}: {recipe.Describe(v)}\n");
        sb.Append(Ci, $"- data: {recipe.Dataset}, train {(recipe.TrainSize?.ToString("N0", Ci) ?? "all")}{(recipe.ValidHoldout > 0 ? $" (after holding out {recipe.ValidHoldout:N0})" : "")}, test {(recipe.TestSize?.ToString("N0", Ci) ?? "all")}, augmentation {recipe.Augmentation}, normalisation {recipe.Normalization}\n");
        sb.Append(Ci, $"- seed {recipe.Seed}; each pair: two networks with independent init and data-order seeds; asymmetric pairs share masks, F and FiGLU matrices (one architecture seed per pair)\n");
        foreach (var note in recipe.Notes) sb.Append("- ").Append(note).Append('\n');
        if (timing is not null) sb.Append('\n').Append(timing).Append('\n');
        return sb.ToString();
    }

    private static void Row(StringBuilder sb, string head, IReadOnlyList<LmcVariantSummary> summaries, Func<LmcVariantSummary, string> cell) =>
        sb.Append("| ").Append(head).Append(" | ").Append(string.Join(" | ", summaries.Select(cell))).Append(" |\n");

    /// <summary>What the table's numbers are (printed under the console table and in summary.md).</summary>
    public const string TableNote =
        "Barrier: midpoint test-loss barrier, mean ± sample std over pairs (std to 2 decimals, as the paper gives it). " +
        "Max barrier: each pair's max over λ of L(λ) − ((1−λ)L(θ1) + λL(θ2)), averaged over pairs.";

    public static string Num(double v, int decimals = 3) =>
        double.IsNaN(v) ? "–" : v.ToString("0." + new string('0', decimals), Ci);

    public static string Pct(double v) => double.IsNaN(v) ? "–" : (100 * v).ToString("0.00", Ci) + "%";

    /// <summary>Figure 3: test loss and test accuracy against λ, the mean over pairs as a line and min..max as a band.</summary>
    public static Figure Figure(LmcRecipe recipe, IReadOnlyList<LmcPairResult> pairs)
    {
        var loss = new List<Line>();
        var accuracy = new List<Line>();
        foreach (var v in recipe.Variants)
        {
            var curves = Curves(recipe, pairs).Where(x => x.Curve.Variant == v).Select(x => x.Curve.Points).ToList();
            if (curves.Count == 0) continue;
            var x = curves[0].Select(p => p.Lambda).ToArray();
            if (curves.Any(c => !c.Select(p => p.Lambda).SequenceEqual(x)))
                throw new InvalidDataException($"The {v.Name()} curves of this run use different λ grids.");
            loss.Add(Band(v, x, curves, p => p.Loss));
            accuracy.Add(Band(v, x, curves, p => p.Accuracy));
        }
        var title = $"{recipe.Model} ({recipe.Dataset})";
        return new Figure(
            new LinePanel(title + ": test loss", "λ", "test loss", loss),
            new LinePanel(title + ": test accuracy", "λ", "test accuracy", accuracy, LegendBottom: true));
    }

    /// <summary>The variant's colour in every figure of the project.</summary>
    public static string Color(this LmcVariant v) => v == LmcVariant.Rebasin ? Palette.Rebasin : Palette.Of(v.Family());

    private static Line Band(LmcVariant variant, double[] x, List<IReadOnlyList<LmcPoint>> curves,
        Func<LmcPoint, double> value)
    {
        var n = x.Length;
        var mean = new double[n];
        var lo = new double[n];
        var hi = new double[n];
        for (var i = 0; i < n; i++)
        {
            var vals = curves.Select(c => value(c[i])).ToList();
            (mean[i], lo[i], hi[i]) = (vals.Average(), vals.Min(), vals.Max());
        }
        var label = variant.Label();
        return curves.Count > 1 ? new Line($"{label} (n={curves.Count})", variant.Color(), x, mean, lo, hi) : new Line(label, variant.Color(), x, mean);
    }
}
