using System.Globalization;
using System.Text;
using AsymNet.Data;
using AsymNet.Experiments.Figures;
using AsymNet.Experiments.Zoo;
using AsymNet.NN.Models;
using AsymNet.Symmetry.Interpolation;

namespace AsymNet.Experiments.Mli;

/// <summary>The paper's Table 4 row of a variant: Δ, percent monotonic, local and global convexity (mean ± std over 300 networks).</summary>
public sealed record MliPaperRow(MeanStd Delta, double PercentMonotonic, MeanStd LocalConvexity, MeanStd GlobalConvexity)
{
    public static IReadOnlyDictionary<Variant, MliPaperRow> Table4 { get; } = new Dictionary<Variant, MliPaperRow>
    {
        [Variant.Standard] = new(new(.079, .109), 26.3, new(.548, .139), new(.823, .229)),
        [Variant.Sigma] = new(new(.004, .047), 87.3, new(.675, .143), new(.976, .098)),
        [Variant.W] = new(new(-.027, .026), 100, new(.769, .165), new(1.00, .000)),
    };
}

/// <summary>
/// Writes an MLI run's tables and figure from its finished networks: curves.csv, networks.csv, summary.md (Table 4
/// next to the paper's, Welch t-tests against standard), mli.svg (Figure 5) and, when the run trained its own networks,
/// the zoo tables (hparams.csv, zoo.csv) so the folder is a zoo as well.
/// </summary>
public static class MliReport
{
    public const string CurvesFile = "curves.csv";
    public const string NetworksFile = "networks.csv";
    public const string SummaryFile = "summary.md";
    public const string FigureName = "mli";
    public const string FigureFile = FigureName + ".svg";
    public const string FigurePngFile = FigureName + ".png";
    public const int FigureCurves = 20;

    private static readonly Variant[] Order = [Variant.Standard, Variant.Sigma, Variant.W];

    public static string Label(Variant v) => v switch { Variant.Standard => "Standard ResNet", Variant.Sigma => "σ-Asym ResNet", _ => "W-Asym ResNet" };

    /// <summary>Table 4 from the finished networks: one summary per variant present, tests against standard when it is there.</summary>
    public static IReadOnlyList<MliSummary> Summarize(IReadOnlyList<MliNetworkResult> finished)
    {
        List<MliStatistics> Stats(Variant v) => [.. finished.Where(r => r.Network.Variant == v && r.Statistics is not null).Select(r => r.Statistics!)];
        var present = Order.Where(v => finished.Any(r => r.Network.Variant == v)).ToList();
        var standard = present.Contains(Variant.Standard) ? Stats(Variant.Standard) : null;
        return [.. present.Select(v => MliSummary.Of(v.ToString().ToLowerInvariant(), Stats(v),
            finished.Count(r => r.Network.Variant == v && r.Statistics is null), v == Variant.Standard ? null : standard))];
    }

    public static IReadOnlyList<MliSummary> Write(string runDir, MliRecipe recipe, IReadOnlyList<MliNetworkResult> finished, string? timing)
    {
        var ci = CultureInfo.InvariantCulture;
        var ordered = finished.OrderBy(r => Array.IndexOf(Order, r.Network.Variant)).ThenBy(r => r.Network.Index).ToList();
        Csv(runDir, CurvesFile, "variant,network,alpha,train_loss",
            ordered.SelectMany(r => r.Alphas.Select((a, i) => string.Create(ci, $"{Name(r)},{r.Network.Index},{a:R},{r.TrainLosses[i]:R}"))));
        Csv(runDir, NetworksFile,
            "variant,network,lr,weight_decay,label_smoothing,epochs,diverged,delta,monotonic,local_convexity,global_convexity,global_convexity_code_chord,test_accuracy",
            ordered.Select(r =>
            {
                var h = r.Network.Hyperparameters;
                var s = r.Statistics;
                return string.Create(ci,
                    $"{Name(r)},{r.Network.Index},{h.LearningRate:R},{h.WeightDecay:R},{h.LabelSmoothing:R},{h.Epochs},{(s is null ? 1 : 0)}," +
                    $"{s?.Delta ?? double.NaN:R},{(s is null ? "" : s.Monotonic ? "1" : "0")},{s?.LocalConvexity ?? double.NaN:R},{s?.GlobalConvexity ?? double.NaN:R}," +
                    $"{s?.GlobalConvexityCodeChord ?? double.NaN:R},{r.Network.TestAccuracy:R}");
            }));
        var summaries = Summarize(finished);
        var text = Summary(recipe, summaries, finished, timing);
        AtomicFile.Write(Path.Combine(runDir, SummaryFile), s => s.Write(Encoding.UTF8.GetBytes(text)));
        if (finished.Any(r => r.Statistics is not null)) Figure(finished).Save(runDir, FigureName);
        if (recipe.ZooDir is null) new ZooFolder(runDir).WriteTables(recipe.Zoo, finished.Select(r => r.Network));
        return summaries;
    }

    private static string Name(MliNetworkResult r) => r.Network.Variant.ToString().ToLowerInvariant();

    private static void Csv(string dir, string name, string header, IEnumerable<string> rows) =>
        AtomicFile.Write(Path.Combine(dir, name), s =>
        {
            using var w = new StreamWriter(s, leaveOpen: true) { NewLine = "\n" };
            w.WriteLine(header);
            foreach (var row in rows) w.WriteLine(row);
        });

    /// <summary>The paper's style: three decimals without the leading zero (.079, −.027).</summary>
    public static string Num(double v, int digits = 3)
    {
        if (double.IsNaN(v)) return "–";
        var text = v.ToString("0." + new string('0', digits), CultureInfo.InvariantCulture);
        return text.StartsWith("0.", StringComparison.Ordinal) ? text[1..] : text.StartsWith("-0.", StringComparison.Ordinal) ? "−" + text[2..] : text.Replace('-', '−');
    }

    public static string Pm(MeanStd m) => $"{Num(m.Mean)} ± {Num(m.Std)}";

    public static string P(WelchTTest? t) =>
        t is null ? "" : double.IsNaN(t.P) ? " (p undefined: no variance)" : string.Create(CultureInfo.InvariantCulture, $" (p {t.P:0.##e0})");

    private static string Summary(MliRecipe recipe, IReadOnlyList<MliSummary> summaries, IReadOnlyList<MliNetworkResult> finished, string? timing)
    {
        var z = recipe.Zoo;
        var sb = new StringBuilder();
        sb.AppendLine("# Monotonic linear interpolation (paper Table 4)").AppendLine();
        sb.AppendLine(string.Create(CultureInfo.InvariantCulture,
            $"Training loss along (1−α)θ₀ + αθ_T at {recipe.Points} values α = linspace(0, 1, {recipe.Points}), {z.Scale.ToString().ToLowerInvariant()} scale: {z.Describe()}."));
        if (recipe.ZooDir is not null) sb.AppendLine().AppendLine($"Networks of the zoo {recipe.ZooDir}.");
        sb.AppendLine().AppendLine("| Variant | Networks | Δ ↓ | Percent monotonic ↑ | Local convexity ↑ | Global convexity ↑ | Global convexity, code's chord |");
        sb.AppendLine("|---|---|---|---|---|---|---|");
        foreach (var s in summaries)
        {
            var v = ModelFactory.ParseVariant(s.Group);
            var diverged = s.Diverged > 0 ? $" ({s.Diverged} diverged, excluded)" : "";
            sb.AppendLine(string.Create(CultureInfo.InvariantCulture,
                $"| {Label(v)} | {s.Networks}{diverged} | {Pm(s.Delta)}{P(s.DeltaTest)} | {s.PercentMonotonic:0.0}% | {Pm(s.LocalConvexity)}{P(s.LocalConvexityTest)} | " +
                $"{Pm(s.GlobalConvexity)}{P(s.GlobalConvexityTest)} | {Pm(s.GlobalConvexityCodeChord)} |"));
            var paper = MliPaperRow.Table4[v];
            sb.AppendLine(string.Create(CultureInfo.InvariantCulture,
                $"| *paper* | *300* | *{Pm(paper.Delta)}* | *{paper.PercentMonotonic:0.0}%* | *{Pm(paper.LocalConvexity)}* | *{Pm(paper.GlobalConvexity)}* | |"));
        }
        sb.AppendLine().AppendLine(
            "p: two-sided Welch t-test against the standard networks (the paper: p < .001 for every difference of both asymmetric variants). " +
            "Global convexity is the share of the interior points on or below the chord (1−α)L(0) + αL(1), the paper's definition; " +
            "the last column uses the authors' code's line L(0) + (L(α₁) − L(0))·α, which takes the second point instead of the endpoint (docs/paper.md#mli-chord).");
        sb.AppendLine().AppendLine(string.Create(CultureInfo.InvariantCulture,
            $"Mean test accuracy: {string.Join(", ", Order.Where(v => finished.Any(r => r.Network.Variant == v && !r.Network.Diverged)).Select(v => $"{Label(v)} {100 * finished.Where(r => r.Network.Variant == v && !r.Network.Diverged).Average(r => r.Network.TestAccuracy):0.0}%"))}."));
        if (z.Notes.Count > 0)
        {
            sb.AppendLine().AppendLine("Recipe notes:");
            foreach (var n in z.Notes) sb.AppendLine($"- {n}");
        }
        if (timing is not null) sb.AppendLine().AppendLine(timing);
        return sb.ToString();
    }

    /// <summary>Figure 5: per variant, the training loss along α of the <see cref="FigureCurves"/> networks with the
    /// lowest final training loss (raw losses, one panel per variant, as the paper plots them), in the variant's colour.</summary>
    public static Figure Figure(IReadOnlyList<MliNetworkResult> finished)
    {
        var panels = new List<Panel>();
        foreach (var v in Order)
        {
            var best = finished.Where(r => r.Network.Variant == v && r.Statistics is not null).OrderBy(r => r.TrainLosses[^1]).Take(FigureCurves).ToList();
            if (best.Count == 0) continue;
            panels.Add(new LinePanel(Label(v), "α", "train loss",
                [.. best.Select((r, i) => new Line(i == 0 ? $"{best.Count} lowest final loss" : "", Palette.Of(v), [.. r.Alphas], [.. r.TrainLosses]))]));
        }
        return new Figure([.. panels]) { PanelWidth = 380 };
    }
}
