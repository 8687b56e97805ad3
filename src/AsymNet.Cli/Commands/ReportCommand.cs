using System.CommandLine;
using AsymNet.Experiments.Report;

namespace AsymNet.Cli.Commands;

/// <summary>`asym report [RUN_FOLDER…] --out report/`: the paper's tables and figures from run folders, as one
/// self-contained HTML page, a Markdown twin and standalone SVG/PNG figures.</summary>
public static class ReportCommand
{
    public const string DefaultRuns = "runs";

    public static Command Create()
    {
        var folders = new Argument<string[]>("run-folder")
        {
            Description = "Run folders, or folders holding run folders (default: every run under runs/).",
            Arity = ArgumentArity.ZeroOrMore,
        };
        var outDir = new Option<string>("--out") { Description = "Folder for report.html, report.md and figures/.", DefaultValueFactory = _ => "report" };
        var cmd = new Command("report",
            "Write report.html (self-contained, printable), report.md and every figure as SVG and PNG from run folders: the paper's " +
            "tables with these runs' values beside them, figures, deviations from the paper's recipe, provenance, and what is missing.")
        {
            folders, outDir,
        };
        cmd.SetAction(parse =>
        {
            var given = parse.GetValue(folders) ?? [];
            var roots = given.Length > 0 ? given : [DefaultRuns];
            var runs = new List<string>();
            foreach (var root in roots)
            {
                var found = ReportSources.FindRuns(root);
                if (found.Count == 0 && given.Length > 0)
                {
                    Console.Error.WriteLine($"asym: {root} is not a run folder and holds none (no manifest.json).");
                    return 1;
                }
                runs.AddRange(found);
            }
            return Write(runs.Distinct().ToList(), parse.GetValue(outDir)!);
        });
        return cmd;
    }

    /// <summary>Writes the report and prints what it holds; 0 unless nothing could be written.</summary>
    public static int Write(IReadOnlyList<string> runs, string outDir)
    {
        try
        {
            var outcome = ReportWriter.Write(runs, outDir);
            foreach (var s in outcome.Sections)
                Console.WriteLine($"  {s.Title}: {s.Tables.Count} table(s), {s.Figures.Count} figure(s) ({s.RunDir})");
            foreach (var (dir, error) in outcome.Unreadable) Console.WriteLine($"  unreadable: {dir}: {error}");
            foreach (var (e, why) in outcome.Missing) Console.WriteLine($"  missing: {e.Title} ({e.PaperItems}): {why}");
            Console.WriteLine($"Report: {outcome.HtmlPath}, {outcome.MarkdownPath} and {outcome.FigurePaths.Count} figure file(s) in {Path.GetDirectoryName(outcome.HtmlPath)}/{ReportWriter.FiguresDir}.");
            return 0;
        }
        catch (IOException e)
        {
            Console.Error.WriteLine($"asym: cannot write the report to {outDir}: {e.Message}");
            return 1;
        }
    }
}
