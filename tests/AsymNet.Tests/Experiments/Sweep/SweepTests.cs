using System.Globalization;
using System.Text.Json;
using AsymNet.Cli;
using AsymNet.Experiments.Jobs;
using AsymNet.Experiments.Lmc;
using AsymNet.Experiments.Sweep;
using AsymNet.Tests.Data;
using AsymNet.Tests.Support;

namespace AsymNet.Tests.Experiments.Sweep;

/// <summary>`asym sweep` (paper Figure 6): grid, recipe, and a tiny run end to end with shards and resume.</summary>
public sealed class SweepTests
{
    private static readonly string[] Tiny =
        ["sweep", "--model", "mlp", "--seeds", "2", "--epochs", "2", "--train-size", "128", "--test-size", "64"];

    [Fact]
    public void TinyGridEndToEndWithShardsAndResume()
    {
        using var tmp = new TempDir();
        string[] Args(string? shard = null, string grid = "nfix=0,1;kappa=0,2", string threshold = "0.5") =>
            [.. Tiny, "--out", tmp.Path, "--grid", grid, "--threshold", threshold, .. shard is null ? [] : (string[])["--shard", shard]];
        // Two shards, then the whole grid: the last run trains nothing and writes the tables.
        Assert.Equal(0, Program.Main(Args("0/2")));
        Assert.False(File.Exists(Path.Combine(tmp.Path, SweepReport.CellsFile)));
        Assert.Equal(0, Program.Main(Args("1/2")));
        var cellFiles = Directory.GetFiles(Path.Combine(tmp.Path, SweepExperiment.CellsDir), "*.json");
        Assert.Equal(["n0.json", "n1-k0.json", "n1-k2.json"], cellFiles.Select(Path.GetFileName).Order());
        var written = cellFiles.ToDictionary(f => f, File.GetLastWriteTimeUtc);
        Assert.Equal(0, Program.Main(["collect", tmp.Path]));
        Assert.True(File.Exists(Path.Combine(tmp.Path, SweepReport.CellsFile)));
        Assert.Equal(0, Program.Main(Args()));
        Assert.All(written, kv => Assert.Equal(kv.Value, File.GetLastWriteTimeUtc(kv.Key)));

        var cells = File.ReadAllLines(Path.Combine(tmp.Path, SweepReport.CellsFile)).Skip(1).Select(l => l.Split(',')).ToList();
        Assert.Equal(3, cells.Count);
        Assert.Equal(["0", "100864", "100864"], cells.Select(c => c[4]).Order());
        foreach (var c in cells)
        {
            Assert.Equal("2", c[5]);
            Assert.InRange(double.Parse(c[10], CultureInfo.InvariantCulture), 0, 1);
            Assert.True(double.IsFinite(double.Parse(c[13], CultureInfo.InvariantCulture)), "barrier");
            Assert.True(double.Parse(c[15], CultureInfo.InvariantCulture) > 0, "distance per parameter");
        }

        // Each network stops at the first epoch at the threshold (the Trainer's stop hook) or runs to the cap.
        var rows = File.ReadAllLines(Path.Combine(tmp.Path, SweepReport.ResultsFile)).Skip(1).Select(l => l.Split(',')).ToList();
        foreach (var network in rows.GroupBy(r => (r[0], r[5])))
        {
            var accuracies = network.Select(r => double.Parse(r[8], CultureInfo.InvariantCulture)).ToList();
            var first = accuracies.FindIndex(a => a >= 0.5);
            Assert.Equal(first < 0 ? 2 : first + 1, accuracies.Count);
        }
        var stored = JsonSerializer.Deserialize<SweepCellResult>(File.ReadAllText(cellFiles[0]), LmcJson.Options)!;
        Assert.All(stored.Networks, n => Assert.Equal(n.EpochsToThreshold is null ? 2 : n.EpochsToThreshold, n.Epochs.Count));

        var summary = File.ReadAllText(Path.Combine(tmp.Path, SweepReport.SummaryFile));
        Assert.Contains("Paper Figure 6", summary);
        Assert.Contains("| 3 | 11 | 30 | 46 | 60 | 72 |", summary);
        Assert.Contains("| 2 |", summary);
        FigureFiles.AssertSvgAndPng(tmp.Path, SweepReport.FigureName);
        Assert.Equal("completed", JsonDocument.Parse(File.ReadAllText(Path.Combine(tmp.Path, "manifest.json"))).RootElement.GetProperty("status").GetString());

        // A larger grid on the same folder runs only the new cell; another threshold is a different recipe.
        Assert.Equal(0, Program.Main(Args(grid: "nfix=0,1;kappa=0,1,2")));
        Assert.Equal(4, Directory.GetFiles(Path.Combine(tmp.Path, SweepExperiment.CellsDir), "*.json").Length);
        Assert.Equal(1, Program.Main(Args(threshold: "0.6")));
    }

    [Fact]
    public void GridsParseAndTheMultiplierZeroColumnIsOneCell()
    {
        var g = SweepGrid.Parse("nfix=0,0.5,1;kappa=0,3", SweepKind.W, null);
        Assert.Equal(["n0", "n0.5-k0", "n1-k0", "n0.5-k3", "n1-k3"], g.Cells(SweepKind.W).Select(c => c.Id));
        var s = SweepGrid.Parse("fstd=1,1/sqrt(d),0.01/√d", SweepKind.Sigma, 512);
        Assert.Equal([1, 1 / Math.Sqrt(512), 0.01 / Math.Sqrt(512)], s.FStds);
        Assert.Throws<ArgumentException>(() => SweepGrid.Parse("fstd=1/sqrt(d)", SweepKind.Sigma, null));
        Assert.Throws<ArgumentException>(() => SweepGrid.Parse("nfix=1", SweepKind.W, null));
        Assert.Throws<ArgumentException>(() => SweepGrid.Parse("nfix=1;kappa=-1", SweepKind.W, null));
    }

    [Fact]
    public void PaperScaleIsTheInferredFigure6Setup()
    {
        var r = SweepRecipe.Resolve(new SweepConfig { Model = "resnet20", Scale = LmcScale.Paper });
        Assert.Equal(("cifar10", 100, 0.70, true), (r.Training.Dataset, r.Training.Epochs, r.Threshold, r.StopAtThreshold));
        Assert.Equal(21, r.Cells().Count);
        Assert.Equal(72, SweepPaperGrid.At(1, 3));
        Assert.Equal(12, SweepPaperGrid.At(0.25, 0.75));
        Assert.Equal(11, SweepPaperGrid.At(0, null));
        Assert.Null(SweepPaperGrid.At(1, 2));
        var sigma = SweepRecipe.Resolve(new SweepConfig { Model = "mlp", Kind = SweepKind.Sigma });
        Assert.False(sigma.StopAtThreshold);
        Assert.Equal(5, sigma.Cells().Count);
    }
}
