using AsymNet.Experiments.Runs;

namespace AsymNet.Experiments.Report;

/// <summary>
/// How an experiment's run folder becomes a report section: the one thing an experiment implements (and registers in
/// <see cref="ReportSources"/>) to appear in <c>asym report</c> with its paper table. A folder whose experiment has
/// none is still shown through <see cref="SummaryMarkdownSource"/> (its summary.md tables and its figures).
/// </summary>
public interface IReportSource
{
    /// <summary>The experiment name its manifests record.</summary>
    string Experiment { get; }

    /// <summary>Reads the folder's own files (never trains or evaluates anything).</summary>
    ReportSection Read(string runDir, RunManifest manifest);
}
