using System.Text.RegularExpressions;

namespace AsymNet.Tests.Docs;

/// <summary>
/// Every citation of the paper's facts resolves inside the repository: code and docs cite anchors of docs/paper.md
/// (<c>docs/paper.md#h12</c>, <c>[H12](paper.md#h12)</c>), never the external notes document the project started
/// from, never a bare hazard number or an unattributed section sign, and every cited anchor exists.
/// </summary>
public sealed partial class DocsCitationTests
{
    private const string PaperDoc = "docs/paper.md";
    private static readonly string[] ScannedFolders = ["src", "tests", "docs", "tools", "bench"];
    private static readonly string[] ScannedExtensions = [".cs", ".md", ".py", ".sh"];

    [Fact]
    public void NoCitationOfTheExternalNotes()
    {
        var hits = Lines().Where(l => ExternalNotes().IsMatch(l.Text)).ToList();
        Assert.True(hits.Count == 0, Report("cite docs/paper.md#<anchor> instead of the external notes", hits));
    }

    [Fact]
    public void NoBareHazardNumbers()
    {
        var hits = Lines().Where(l => l.File != PaperDoc && BareHazard().IsMatch(HazardLink().Replace(l.Text, ""))).ToList();
        Assert.True(hits.Count == 0, Report("write a hazard as docs/paper.md#h12 in code and as [H12](paper.md#h12) in markdown", hits));
    }

    [Fact]
    public void HazardLinksPointAtTheirOwnHazard()
    {
        var hits = Lines().Where(l => HazardLink().Matches(l.Text).Any(m => !PointsAtHazard(m.Groups[2].Value, m.Groups[1].Value))).ToList();
        Assert.True(hits.Count == 0, Report("a link titled with a hazard number must point at that hazard's anchor", hits));
    }

    [Fact]
    public void SectionSignsAreThePapers()
    {
        // A bare section sign cited the external notes' numbering; the paper's own sections are written "paper §5.1".
        var hits = Lines().Where(l => SectionSign().Matches(l.Text).Any(m => !l.Text[Math.Max(0, m.Index - 20)..m.Index].Contains("paper", StringComparison.OrdinalIgnoreCase))).ToList();
        Assert.True(hits.Count == 0, Report("a section sign must say whose section it is (\"paper §4.3\") or be a docs/paper.md anchor", hits));
    }

    [Fact]
    public void PaperDocHasEveryHazardAndUniqueAnchors()
    {
        var anchors = Anchors().Matches(File.ReadAllText(Path.Combine(RepoRoot, PaperDoc)))
            .Select(m => m.Groups[1].Success ? m.Groups[1].Value : m.Groups[2].Value).ToList();
        var duplicates = anchors.GroupBy(a => a).Where(g => g.Count() > 1).Select(g => g.Key).ToList();
        Assert.True(duplicates.Count == 0, $"{PaperDoc} defines these anchors more than once: {string.Join(", ", duplicates)}");
        var missing = Enumerable.Range(1, 21).Select(n => "h" + n).Where(h => !anchors.Contains(h)).ToList();
        Assert.True(missing.Count == 0, $"{PaperDoc} lacks the hazard anchors {string.Join(", ", missing)}");
    }

    [Fact]
    public void EveryCitedAnchorExists()
    {
        var anchors = Anchors().Matches(File.ReadAllText(Path.Combine(RepoRoot, PaperDoc)))
            .Select(m => m.Groups[1].Success ? m.Groups[1].Value : m.Groups[2].Value).ToHashSet();
        var hits = Lines().Where(l => CitedAnchor().Matches(l.Text).Any(m => !anchors.Contains(m.Groups[1].Value))
            || (l.File == PaperDoc && LocalLink().Matches(l.Text).Any(m => !anchors.Contains(m.Groups[1].Value)))).ToList();
        Assert.True(hits.Count == 0, Report($"cites an anchor that {PaperDoc} does not define", hits));
    }

    private static bool PointsAtHazard(string target, string number)
    {
        var anchor = "#h" + number;
        return target == anchor || target == "paper.md" + anchor || target.EndsWith("/paper.md" + anchor, StringComparison.Ordinal);
    }

    private sealed record Line(string File, int Number, string Text);

    private static IEnumerable<Line> Lines()
    {
        var files = ScannedFolders.Select(f => Path.Combine(RepoRoot, f)).Where(Directory.Exists)
            .SelectMany(d => Directory.EnumerateFiles(d, "*", SearchOption.AllDirectories))
            .Append(Path.Combine(RepoRoot, "README.md"))
            .Where(f => ScannedExtensions.Contains(Path.GetExtension(f)))
            .Select(f => Path.GetRelativePath(RepoRoot, f).Replace('\\', '/'))
            .Where(f => !f.Split('/').Any(part => part is "bin" or "obj" or "node_modules" or ".venv"));
        foreach (var file in files.Order(StringComparer.Ordinal))
        {
            var n = 0;
            foreach (var text in File.ReadLines(Path.Combine(RepoRoot, file))) yield return new Line(file, ++n, text);
        }
    }

    private static string Report(string rule, IReadOnlyList<Line> hits) =>
        $"{hits.Count} line(s) break the rule ({rule}):\n" + string.Join("\n", hits.Select(h => $"  {h.File}:{h.Number}: {h.Text.Trim()}"));

    private static string RepoRoot
    {
        get
        {
            for (var d = new DirectoryInfo(AppContext.BaseDirectory); d is not null; d = d.Parent)
                if (File.Exists(Path.Combine(d.FullName, "AsymNet.slnx"))) return d.FullName;
            throw new DirectoryNotFoundException("the repository root (AsymNet.slnx) was not found above the test binaries");
        }
    }

    [GeneratedRegex(@"\bREFERENCE(?:\.md)?`?\s*\u00A7|\bREFERENCE\.md\b")]
    private static partial Regex ExternalNotes();

    [GeneratedRegex(@"\bH(?:[1-9]|1[0-9]|2[01])\b")]
    private static partial Regex BareHazard();

    [GeneratedRegex(@"\[H([0-9]{1,2})\]\(([^)\s]*)\)")]
    private static partial Regex HazardLink();

    [GeneratedRegex(@"\u00A7")]
    private static partial Regex SectionSign();

    [GeneratedRegex(@"<a id=""([A-Za-z0-9_-]+)""|\{#([A-Za-z0-9_-]+)\}")]
    private static partial Regex Anchors();

    [GeneratedRegex(@"paper\.md#([A-Za-z0-9_-]+)")]
    private static partial Regex CitedAnchor();

    [GeneratedRegex(@"\]\(#([A-Za-z0-9_-]+)\)")]
    private static partial Regex LocalLink();
}
