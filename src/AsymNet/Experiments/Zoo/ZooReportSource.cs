using System.Globalization;
using AsymNet.Experiments.Report;
using AsymNet.Experiments.Runs;
using AsymNet.NN.Models;

namespace AsymNet.Experiments.Zoo;

/// <summary>
/// A zoo run folder in the report: per variant, the networks of zoo.csv (diverged ones counted apart) and their mean
/// train and test accuracy next to the paper's Appendix A statistics (docs/paper.md#zoo-statistics), and the recipe's
/// notes as deviations. The paper has no figure of its zoo.
/// </summary>
public sealed class ZooReportSource : IReportSource
{
    /// <summary>Appendix A: mean train / test accuracy of the paper's zoos.</summary>
    private static readonly Dictionary<Variant, (double Train, double Test)> Paper = new()
    {
        [Variant.Standard] = (0.748, 0.738),
        [Variant.W] = (0.640, 0.640),
    };

    public string Experiment => ZooExperiment.ExperimentName;

    public ReportSection Read(string runDir, RunManifest manifest)
    {
        var networks = File.Exists(Path.Combine(runDir, ZooFolder.ZooCsvFile)) ? new ZooFolder(runDir).ReadZooCsv() : [];
        var tables = new List<ReportTable>();
        var notes = new List<string>();
        if (networks.Count == 0) notes.Add($"No {ZooFolder.ZooCsvFile} yet (manifest status {manifest.Status}); run the command below again to finish.");
        else tables.Add(Table(networks));
        return new ReportSection
        {
            Title = $"Network zoo: ResNet8s on {Config(manifest, "dataset")} ({Config(manifest, "scale")} scale)",
            Experiment = Experiment,
            RunDir = runDir,
            Manifest = manifest,
            Tables = tables,
            Deviations = SummaryMarkdownSource.ConfigNotes(manifest.Config),
            Notes = notes,
        };
    }

    private static string Config(RunManifest manifest, string key) => manifest.Config?[key]?.GetValue<string>() ?? "?";

    private static ReportTable Table(IReadOnlyList<ZooNetworkResult> networks)
    {
        static string Pct(double v) => double.IsNaN(v) ? "–" : (100 * v).ToString("0.0", CultureInfo.InvariantCulture) + "%";
        var rows = networks.GroupBy(n => n.Variant).OrderBy(g => g.Key).Select(g =>
        {
            var ok = g.Where(n => !n.Diverged).ToList();
            double Mean(Func<ZooNetworkResult, double> f) => ok.Count == 0 ? double.NaN : ok.Average(f);
            var paper = Paper.TryGetValue(g.Key, out var p) ? $"{Pct(p.Train)} / {Pct(p.Test)}" : "–";
            return (IReadOnlyList<ReportCell>)
            [
                g.Key switch { Variant.Standard => "Standard", Variant.Sigma => "σ-Asym", _ => "W-Asym" }, $"{g.Count()} ({g.Count(n => n.Diverged)})", Pct(Mean(n => n.TrainAccuracy)), Pct(Mean(n => n.TestAccuracy)),
                ok.Count == 0 ? "–" : $"{Pct(ok.Min(n => n.TestAccuracy))} .. {Pct(ok.Max(n => n.TestAccuracy))}", paper,
            ];
        }).ToList();
        return new ReportTable("Appendix A: mean train and test accuracy of the zoo's networks (diverged networks left out)",
            ["Variant", "Networks (diverged)", "Train accuracy", "Test accuracy", "Test accuracy min .. max", "Paper: train / test"], rows,
            "The paper's zoo: 10,000 ResNet8s per variant on CIFAR-10; its train accuracy is measured on augmented images with label smoothing in the loss, as here.");
    }
}
