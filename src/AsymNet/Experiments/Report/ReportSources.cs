using System.Text.Json;
using System.Text.Json.Nodes;
using AsymNet.Experiments.Bnn;
using AsymNet.Experiments.Lmc;
using AsymNet.Experiments.Metanet;
using AsymNet.Experiments.Runs;
using AsymNet.Experiments.Zoo;

namespace AsymNet.Experiments.Report;

/// <summary>
/// The paper's experiments in the paper's order, and the report source of each experiment that has one. A new
/// experiment adds its <see cref="IReportSource"/> here; until then its folders are shown by
/// <see cref="SummaryMarkdownSource"/>.
/// </summary>
public static class ReportSources
{
    public static IReadOnlyList<PaperExperiment> Paper { get; } =
    [
        new("lmc", "Linear mode connectivity", "Table 1, Figure 3", "asym lmc"),
        new("bnn", "Bayesian neural networks", "Table 2, Figure 4", "asym bnn"),
        new("zoo", "Network zoo for the metanetworks", "Appendix A", "asym zoo"),
        new("metanet", "Metanetworks", "Table 3", "asym metanet"),
        new("mli", "Monotonic linear interpolation", "Table 4, Figure 5", "asym mli"),
        new("sweep", "Asymmetry strength: nfix × κ", "Figure 6", "asym sweep"),
    ];

    private static readonly Dictionary<string, IReportSource> Sources = new IReportSource[]
    {
        new LmcReportSource(),
        new BnnReportSource(),
        new ZooReportSource(),
        new MetanetReportSource(),
    }.ToDictionary(s => s.Experiment);

    /// <summary>Where a section of <paramref name="experiment"/> goes: the paper's order, unknown experiments last.</summary>
    public static int Order(string experiment) => Paper.Select(p => p.Experiment).ToList().IndexOf(experiment) is var i and >= 0 ? i : Paper.Count;

    public static IReportSource For(string experiment) => Sources.TryGetValue(experiment, out var s) ? s : new SummaryMarkdownSource();

    /// <summary>The section of one run folder (its experiment read from its manifest).</summary>
    public static ReportSection Read(string runDir)
    {
        var dir = Path.GetFullPath(runDir);
        var (_, manifest) = ExperimentCatalog.LatestManifest(dir);
        return For(manifest.Experiment).Read(dir, manifest);
    }

    /// <summary>The run folders in <paramref name="folder"/>: the folder itself when it is one, else those below it (a
    /// parent such as the one <c>asym paper</c> writes is searched one level deeper), in name order.</summary>
    public static IReadOnlyList<string> FindRuns(string folder, int depth = 2)
    {
        if (!Directory.Exists(folder)) return [];
        if (IsRun(folder)) return [Path.GetFullPath(folder)];
        if (depth == 0) return [];
        return Directory.EnumerateDirectories(folder).Order(StringComparer.Ordinal).SelectMany(d => FindRuns(d, depth - 1)).ToList();
    }

    private static bool IsRun(string dir) =>
        File.Exists(Path.Combine(dir, RunFolder.ManifestFile)) || Directory.Exists(Path.Combine(dir, Jobs.JobEngine.ShardsDir));

    /// <summary>The summary rows an experiment recorded in its manifest's results ("results" array); none while the run
    /// has written no tables yet.</summary>
    public static List<T> Results<T>(RunManifest manifest, JsonSerializerOptions options) =>
        manifest.Results?["results"] is JsonArray a ? a.Deserialize<List<T>>(options) ?? [] : [];

    /// <summary>The recipe a run's manifest records (its config object).</summary>
    public static JsonObject Config(string runDir, RunManifest manifest) =>
        manifest.Config as JsonObject ?? throw new InvalidDataException($"{runDir}: the manifest records no {manifest.Experiment} recipe (config).");

    /// <summary>The note of a section whose run has no results yet.</summary>
    public static string NoResults(RunManifest manifest) =>
        $"No results yet (manifest status {manifest.Status}); run the command below again to finish, or `asym collect` a sharded run.";

    /// <summary>The figures of a run folder: every SVG at its top level, with the PNG of the same name when present.</summary>
    public static IReadOnlyList<ReportFigure> Figures(string runDir, Func<string, string> caption) =>
        Directory.EnumerateFiles(runDir, "*.svg").Order(StringComparer.Ordinal)
            .Select(svg => new ReportFigure(caption(Path.GetFileNameWithoutExtension(svg)), svg,
                File.Exists(Path.ChangeExtension(svg, ".png")) ? Path.ChangeExtension(svg, ".png") : null))
            .ToList();
}
