using System.Text.Json.Nodes;
using AsymNet.Cli;
using AsymNet.Experiments.Figures;
using AsymNet.Experiments.Lmc;
using AsymNet.Experiments.Report;
using AsymNet.Experiments.Runs;
using AsymNet.NN.Models;
using AsymNet.Tests.Data;
using AsymNet.Tests.Support;

namespace AsymNet.Tests.Experiments.Report;

/// <summary>asym report over small run folders (a real LMC run and a folder of an experiment without a report source);
/// the browser check and asym paper end to end are in <see cref="TinyPaperTests"/>.</summary>
public sealed class ReportTests
{
    private static string TinyLmc(string dir)
    {
        Assert.Equal(0, Program.Main(["lmc", "--variants", "standard,rebasin,w", "--pairs", "2", "--epochs", "1", "--points", "3",
            "--train-size", "128", "--test-size", "100", "--out", dir, "--json"]));
        return dir;
    }

    /// <summary>A completed run folder of an experiment with no report source: manifest, summary.md and a figure.</summary>
    private static string SummaryOnlyRun(string dir)
    {
        var config = new JsonObject { ["scale"] = "quick", ["notes"] = new JsonArray("Quick: 2 epochs instead of 50.") };
        var run = RunFolder.Create(dir, "sweep", "asym sweep --scale quick", config, new Dictionary<string, ulong> { ["seed"] = 3 });
        run.WriteText("summary.md", """
            # BNN by variational inference (Table 2), quick scale

            - 2 epochs, batch 128

            | Model | Runs | Test acc (%) | Paper |
            |---|---|---|---|
            | MLP standard | 2 | **91.20 ± 0.10** | 97.46 |
            | MLP W-Asym | 2 | 92.00 ± 0.20 | 97.71 |
            """);
        new Figure(new BarPanel("Test accuracy", "model", "test accuracy (%)", ["MLP"],
        [
            new Bars("Standard", Palette.Of(Variant.Standard), [91.2], [0.1]),
            new Bars("W-Asym", Palette.Of(Variant.W), [92.0], [0.2]),
        ])).Save(dir, "bnn");
        run.Complete("completed", null);
        return dir;
    }

    [Fact]
    public void ReportOfSmallRunFoldersListsTheMissingExperiments()
    {
        using var tmp = new TempDir();
        var lmc = TinyLmc(tmp["runs/lmc-mlp"]);
        var bnn = SummaryOnlyRun(tmp["runs/bnn-quick"]);
        Assert.Equal([bnn, lmc], ReportSources.FindRuns(tmp["runs"]));
        var outcome = ReportWriter.Write([lmc, bnn], tmp["report"]);
        Assert.Empty(outcome.Unreadable);
        Assert.Equal(["bnn", "metanet", "mli", "zoo"], outcome.Missing.Select(m => m.Experiment.Experiment).Order());

        // Standalone figures: lmc and bnn, each as SVG and PNG.
        Assert.Equal(4, outcome.FigurePaths.Count);
        FigureFiles.AssertSvgAndPng(tmp["report/figures"], "lmc-mlp-lmc");
        FigureFiles.AssertSvgAndPng(tmp["report/figures"], "bnn-quick-bnn");
        var md = File.ReadAllText(outcome.MarkdownPath);
        Assert.Contains("| paper: MLP (MNIST) | 0.188 ± 0.12 | -0.006 ± 0.00 | -0.012 ± 0.00 |", md);
        Assert.Contains("| MLP standard | 2 | 91.20 ± 0.10 | 97.46 |", md);
        Assert.Contains("epochs: 1 here, 25 in the paper's recipe", md);
        Assert.Contains("Quick: 2 epochs instead of 50.", md);
        Assert.Contains("| Monotonic linear interpolation | Table 4, Figure 5 | missing:", md);

        Assert.Equal(["lmc", "sweep"], outcome.Sections.Select(x => x.Experiment));
        var html = File.ReadAllText(outcome.HtmlPath);
        Assert.Contains("<section id=\"missing\">", html);
        Assert.Contains("<table data-table=\"lmc\">", html);
    }

    [Fact]
    public void FoldersOfTheSameNameKeepTheirOwnAnchorsFiguresAndIds()
    {
        using var tmp = new TempDir();
        var outcome = ReportWriter.Write([SummaryOnlyRun(tmp["a/run"]), SummaryOnlyRun(tmp["b/run"]), tmp["not-a-run"]], tmp["report"]);
        Assert.Equal(4, outcome.FigurePaths.Distinct().Count());
        var html = File.ReadAllText(outcome.HtmlPath);
        Assert.Contains("<section id=\"run\"", html);
        Assert.Contains("<section id=\"run-2\"", html);
        // Inline SVGs never share an id (clip paths would cross figures).
        Assert.Contains("id=\"s0f0_0\"", html);
        Assert.Contains("id=\"s1f0_0\"", html);
        var (dir, error) = Assert.Single(outcome.Unreadable);
        Assert.Equal(tmp["not-a-run"], dir);
        Assert.Contains("not a run folder", error);
    }

    [Fact]
    public void ReportCommandTakesRunFoldersOrTheirParentAndRefusesOthers()
    {
        using var tmp = new TempDir();
        SummaryOnlyRun(tmp["runs/bnn-quick"]);
        Assert.Equal(0, Program.Main(["report", tmp["runs"], "--out", tmp["report"]]));
        Assert.Contains("BNN by variational inference", File.ReadAllText(tmp["report/" + ReportWriter.MarkdownFile]));
        FigureFiles.AssertSvgAndPng(tmp["report/" + ReportWriter.FiguresDir], "bnn-quick-bnn");
        Directory.CreateDirectory(tmp["empty"]);
        Assert.Equal(1, Program.Main(["report", tmp["empty"], "--out", tmp["report2"]]));
        Assert.False(Directory.Exists(tmp["report2"]));
    }

    [Fact]
    public void SummaryTablesAreReadWithTheirCaptions()
    {
        var (tables, notes) = SummaryMarkdownSource.Parse(
        [
            "# Title", "", "### Epochs to 70%", "", "| κ \\ n | 1 | 2 |", "|---|:---:|---|", "| 0.5 | **3** | 4 |", "| 1 | 5 | … |", "",
            "- a note", "| not | a table |",
        ]);
        var t = Assert.Single(tables);
        Assert.Equal("Epochs to 70%", t.Caption);
        Assert.Equal(["κ \\ n", "1", "2"], t.Header);
        Assert.Equal(["0.5", "3", "4"], t.Rows[0].Select(c => c.Text));
        Assert.Equal(2, t.Rows.Count);
        Assert.Equal(["a note", "| not | a table |"], notes);
    }

    [Fact]
    public void LmcSectionHighlightsBarriersFarFromThePaper()
    {
        using var tmp = new TempDir();
        var config = JsonNode.Parse("""{"model":"mlp","dataset":"mnist","scale":"paper","epochs":25}""");
        var run = RunFolder.Create(tmp.Path, "lmc", "asym lmc", config, new Dictionary<string, ulong>());
        static JsonObject S(string v, double barrier) => new()
        {
            ["variant"] = v, ["pairs"] = 5, ["divergedPairs"] = 0, ["barrierMean"] = barrier, ["barrierStd"] = 0.01, ["maxBarrierMean"] = barrier,
            ["accuracyDropMean"] = 0, ["endpointLossMean"] = 0.1, ["endpointAccuracyMean"] = 0.98, ["midpointLossMean"] = 0.2, ["midpointAccuracyMean"] = 0.9,
        };
        // Paper: standard 0.188 ± 0.12 (0.4 is within 2 std), W-Asym −0.012 ± 0.00 (0.1 is beyond the 0.05 tolerance).
        run.Complete("completed", new JsonObject { ["results"] = new JsonArray(S("standard", 0.4), S("w", 0.1)) });
        var section = ReportSources.Read(tmp.Path);
        var table = Assert.Single(section.Tables);
        Assert.Equal(["", "Standard", "W-Asym"], table.Header);
        Assert.Equal([false, true], table.Rows[0].Skip(1).Select(c => c.Highlight));
        // Its recipe fields are the paper's: no deviation to list.
        Assert.Empty(section.Deviations);
    }
}
