using System.Text.Json.Nodes;
using AsymNet.Experiments.Runs;

namespace AsymNet.Experiments.Report;

/// <summary>
/// The report source of any run folder whose experiment has none of its own: the tables of its summary.md (each
/// captioned by the heading or line above it), its other lines as notes, the notes of its recipe (config.notes in
/// the manifest) as deviations, and its figures. Cells are shown as written, without a per-cell comparison.
/// </summary>
public sealed class SummaryMarkdownSource : IReportSource
{
    public const string SummaryFile = "summary.md";

    public string Experiment => "*";

    public ReportSection Read(string runDir, RunManifest manifest)
    {
        var path = Path.Combine(runDir, SummaryFile);
        var lines = File.Exists(path) ? File.ReadAllLines(path) : [];
        var title = lines.FirstOrDefault(l => l.StartsWith("# ", StringComparison.Ordinal))?[2..].Trim() ?? $"{manifest.Experiment} run";
        var (tables, notes) = Parse(lines);
        if (lines.Length == 0) notes.Insert(0, $"{SummaryFile} is missing: the run has written no tables yet (status {manifest.Status}).");
        notes.Add($"No report source for '{manifest.Experiment}' yet: tables are shown as its {SummaryFile} writes them, without a per-cell comparison with the paper.");
        return new ReportSection
        {
            Title = title,
            Experiment = manifest.Experiment,
            RunDir = runDir,
            Manifest = manifest,
            Tables = tables,
            Figures = ReportSources.Figures(runDir, name => $"{name}.svg of the run folder."),
            Deviations = ConfigNotes(manifest.Config),
            Notes = notes,
        };
    }

    /// <summary>The strings of the config's "notes" array (the experiments' recipes list their reductions there).</summary>
    public static IReadOnlyList<string> ConfigNotes(JsonNode? config) =>
        config is JsonObject o && o["notes"] is JsonArray a ? a.Select(n => n?.GetValue<string>() ?? "").Where(s => s.Length > 0).ToList() : [];

    /// <summary>Markdown tables (| a | b | rows with a |---| separator) and the remaining non-empty lines.</summary>
    public static (List<ReportTable> Tables, List<string> Notes) Parse(IReadOnlyList<string> lines)
    {
        var tables = new List<ReportTable>();
        var notes = new List<string>();
        var caption = "";
        for (var i = 0; i < lines.Count; i++)
        {
            var line = lines[i].Trim();
            if (IsRow(line) && i + 1 < lines.Count && IsSeparator(lines[i + 1].Trim()))
            {
                var header = Cells(line).Select(c => c.Text).ToList();
                var rows = new List<IReadOnlyList<ReportCell>>();
                for (i += 2; i < lines.Count && IsRow(lines[i].Trim()); i++) rows.Add(Cells(lines[i].Trim()));
                i--;
                tables.Add(new ReportTable(caption.Length > 0 ? caption : $"Table {tables.Count + 1}", header, rows));
                caption = "";
            }
            else if (line.StartsWith('#'))
            {
                if (!line.StartsWith("# ", StringComparison.Ordinal)) caption = line.TrimStart('#').Trim();
            }
            else if (line.Length > 0)
            {
                notes.Add(line.TrimStart('-', ' '));
                caption = line.TrimStart('-', ' ');
            }
        }
        return (tables, notes);
    }

    private static bool IsRow(string line) => line.StartsWith('|') && line.EndsWith('|') && line.Length > 1;

    private static bool IsSeparator(string line) => IsRow(line) && line.Trim('|').Split('|').All(c => c.Trim().Trim(':').Length > 0 && c.Trim().Trim(':').All(ch => ch == '-'));

    private static List<ReportCell> Cells(string line) =>
        line[1..^1].Split('|').Select(c => new ReportCell(c.Trim().Replace("**", "", StringComparison.Ordinal))).ToList();
}
