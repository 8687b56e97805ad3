using System.Text.Json.Nodes;
using AsymNet.Cli;
using AsymNet.Cli.Commands;
using AsymNet.Experiments.Report;
using AsymNet.Experiments.Runs;
using AsymNet.Tests.Cli;
using AsymNet.Tests.Data;
using AsymNet.Tests.Support;

namespace AsymNet.Tests.Experiments.Report;

/// <summary><c>asym paper --scale tiny</c>, planned and then run once for every test of <see cref="TinyPaperTests"/>
/// (a step per experiment, seconds each).</summary>
public sealed class TinyPaperFixture : IDisposable
{
    private readonly TempDir _tmp = new();

    public TinyPaperFixture()
    {
        Parent = _tmp["paper"];
        (PlanCode, PlanOutput, _) = CliRunner.Run("paper", "--scale", "tiny", "--plan", "--out", Parent);
        PlanWroteNothing = !Directory.Exists(Parent);
        RunCode = Program.Main(["paper", "--scale", "tiny", "--out", Parent]);
    }

    public string Parent { get; }
    public int PlanCode { get; }
    public string PlanOutput { get; }
    public bool PlanWroteNothing { get; }
    public int RunCode { get; }

    public string ReportDir => Path.Combine(Parent, "report");
    public static IReadOnlyList<PaperStep> Steps => PaperSteps.For("tiny");

    public void Dispose() => _tmp.Dispose();
}

/// <summary>The whole paper at the tiny scale: every experiment planned with an estimate, run into its folder, shown
/// in the report (checked in headless Chromium), and skipped on a rerun.</summary>
[Collection(ConsoleCollection.Name)]
public sealed class TinyPaperTests(TinyPaperFixture paper) : IClassFixture<TinyPaperFixture>
{
    /// <summary>Where the browser test leaves its screenshots and page (ASYM_TEST_ARTIFACTS, else beside the tests).</summary>
    private static string ArtifactsDir =>
        Environment.GetEnvironmentVariable("ASYM_TEST_ARTIFACTS") is { Length: > 0 } d ? d : Path.Combine(AppContext.BaseDirectory, "artifacts");

    [Fact]
    public void TinyScaleHasAStepForEveryExperimentOfThePaper() =>
        Assert.Equal(ReportSources.Paper.Select(p => p.Experiment).Order(), TinyPaperFixture.Steps.Select(s => s.Experiment).Distinct().Order());

    [Fact]
    public void PlanGivesEveryStepAnEstimateAndATotalWithoutWriting()
    {
        Assert.Equal(0, paper.PlanCode);
        Assert.True(paper.PlanWroteNothing, "--plan must not write anything");
        var lines = paper.PlanOutput.Split('\n').Select(l => l.TrimEnd()).ToList();
        foreach (var step in TinyPaperFixture.Steps)
        {
            var at = lines.FindIndex(l => l.StartsWith($"  {step.Name}: asym ", StringComparison.Ordinal));
            Assert.True(at >= 0 && at + 1 < lines.Count, $"no plan line for {step.Name}:\n{paper.PlanOutput}");
            Assert.Matches(@"\d+ job\(s\) to run, 0 finished, estimated \d", lines[at + 1]);
        }
        Assert.DoesNotContain("no plan", paper.PlanOutput);
        Assert.DoesNotContain("without an estimate", paper.PlanOutput);
        Assert.Contains("Total estimate: ", paper.PlanOutput);
    }

    [Fact]
    public void EveryStepCompletesAndItsSectionHasTablesAndFigures()
    {
        Assert.Equal(0, paper.RunCode);
        foreach (var step in TinyPaperFixture.Steps)
            Assert.Equal("completed", RunFolder.ReadManifest(Path.Combine(paper.Parent, step.Name)).Status);
        var sections = ReportSources.FindRuns(paper.Parent).Select(ReportSources.Read).ToList();
        Assert.Equal(TinyPaperFixture.Steps.Select(s => s.Experiment).Order(), sections.Select(s => s.Experiment).Order());
        foreach (var s in sections)
        {
            Assert.NotEmpty(s.Tables);
            Assert.All(s.Tables, t => Assert.True(t.Rows.Count > 0 && t.Rows.All(r => r.Count == t.Header.Count) && t.Rows.SelectMany(r => r).Any(c => c.Text.Length > 0),
                $"{s.Experiment}: table '{t.Caption}' is empty or ragged"));
        }
        // The paper's figures: Figure 3 (lmc), 4 (bnn), 5 (mli), 6 (sweep); the zoo and Table 3 have none.
        foreach (var (step, figure) in new[] { ("lmc-mlp", "lmc"), ("bnn", "bnn"), ("mli", "mli"), ("sweep", "sweep") })
            FigureFiles.AssertSvgAndPng(Path.Combine(paper.ReportDir, ReportWriter.FiguresDir), $"{step}-{figure}");
        var md = File.ReadAllText(Path.Combine(paper.ReportDir, ReportWriter.MarkdownFile));
        Assert.DoesNotContain("Missing experiments", md);
        foreach (var s in sections) Assert.Contains($"## {s.Title}", md);
    }

    [Fact]
    public void RerunSkipsFinishedStepsAndUnknownStepsAreRefused()
    {
        Assert.Equal(0, paper.RunCode);
        var manifests = TinyPaperFixture.Steps.Select(s => Path.Combine(paper.Parent, s.Name, RunFolder.ManifestFile)).ToList();
        var written = manifests.Select(File.GetLastWriteTimeUtc).ToList();
        Assert.Equal(0, Program.Main(["paper", "--scale", "tiny", "--out", paper.Parent, "--report", Path.Combine(paper.Parent, "report-rerun")]));
        Assert.Equal(written, manifests.Select(File.GetLastWriteTimeUtc));
        Assert.Equal(2, Program.Main(["paper", "--scale", "tiny", "--only", "nonesuch", "--out", paper.Parent]));
    }

    [Fact]
    public async Task ReportRendersInHeadlessChromium()
    {
        Assert.Equal(0, paper.RunCode);
        var html = Path.Combine(paper.ReportDir, ReportWriter.HtmlFile);
        Directory.CreateDirectory(ArtifactsDir);
        await using var browser = HeadlessChromium.Start();
        await browser.OpenAsync(new Uri(html).AbsoluteUri);
        var page = (await browser.EvaluateAsync("""
            JSON.stringify({
              sections: [...document.querySelectorAll('section[data-experiment]')].map(s => ({ experiment: s.dataset.experiment,
                tables: [...s.querySelectorAll('table[data-table]')].map(t => ({ kind: t.dataset.table,
                  rows: t.querySelectorAll('tbody tr').length, cells: [...t.querySelectorAll('td')].filter(c => c.innerText.trim().length > 0).length,
                  height: t.getBoundingClientRect().height })),
                figures: [...s.querySelectorAll('figure[data-figure]')].map(f => { const g = f.querySelector('svg'); const r = g ? g.getBoundingClientRect() : null;
                  return { width: r ? r.width : 0, height: r ? r.height : 0, shapes: g ? g.querySelectorAll('path, text').length : 0 }; }) })),
              toc: [...document.querySelectorAll('nav a')].map(a => a.getAttribute('href')),
              missing: document.querySelectorAll('#missing').length,
            })
            """))!.GetValue<string>();
        var screenshot = await browser.ScreenshotAsync();
        await File.WriteAllBytesAsync(Path.Combine(ArtifactsDir, "report-screenshot.png"), screenshot);
        File.Copy(html, Path.Combine(ArtifactsDir, "report.html"), overwrite: true);

        Assert.Empty(browser.ConsoleErrors);
        // Nothing from the network: the page, and images inlined in the SVGs (heatmaps).
        Assert.All(browser.NetworkRequests, url => Assert.True(url.StartsWith("file://", StringComparison.Ordinal) || url.StartsWith("data:image/", StringComparison.Ordinal), url));
        var dom = JsonNode.Parse(page)!;
        var sections = dom["sections"]!.AsArray();
        // The paper's order, one section per step.
        Assert.Equal(TinyPaperFixture.Steps.Select(s => s.Experiment), sections.Select(s => s!["experiment"]!.GetValue<string>()));
        Assert.Equal(TinyPaperFixture.Steps.Select(s => "#" + s.Name), dom["toc"]!.AsArray().Select(n => n!.GetValue<string>()));
        Assert.Equal(0, dom["missing"]!.GetValue<int>());
        foreach (var s in sections)
        {
            var experiment = s!["experiment"]!.GetValue<string>();
            var tables = s["tables"]!.AsArray();
            Assert.Contains(tables, t => t!["kind"]!.GetValue<string>() == experiment);
            Assert.Contains(tables, t => t!["kind"]!.GetValue<string>() == "provenance");
            Assert.All(tables, t => Assert.True(t!["rows"]!.GetValue<int>() > 0 && t["cells"]!.GetValue<int>() > 0 && t["height"]!.GetValue<double>() > 20,
                $"{experiment}: {t!.ToJsonString()}"));
            var figures = s["figures"]!.AsArray();
            Assert.Equal(experiment is "zoo" or "metanet" ? 0 : 1, figures.Count);
            Assert.All(figures, f => Assert.True(f!["width"]!.GetValue<double>() > 200 && f["height"]!.GetValue<double>() > 100 && f["shapes"]!.GetValue<int>() > 20,
                $"{experiment}: {f!.ToJsonString()}"));
        }
        var (w, h) = FigureFiles.PngSize(screenshot);
        Assert.True(w >= 1000 && h > 3000, $"screenshot {w}×{h}");

        // Laid out for print, every table and figure still has its size.
        await browser.EmulateMediaAsync("print");
        var printed = JsonNode.Parse((await browser.EvaluateAsync("""
            JSON.stringify([...document.querySelectorAll('table[data-table], figure[data-figure] svg')].map(e => e.getBoundingClientRect().height))
            """))!.GetValue<string>())!.AsArray();
        Assert.Equal(sections.Sum(s => s!["tables"]!.AsArray().Count + s["figures"]!.AsArray().Count), printed.Count);
        Assert.All(printed, height => Assert.True(height!.GetValue<double>() > 20, $"height {height} in print layout"));
        await File.WriteAllBytesAsync(Path.Combine(ArtifactsDir, "report-print-layout.png"), await browser.ScreenshotAsync());
        Assert.Empty(browser.ConsoleErrors);
    }
}
