using System.Globalization;
using System.Text.Json;
using AsymNet.Cli;
using AsymNet.Data;
using AsymNet.Experiments.Lmc;
using AsymNet.NN.Checkpoints;
using AsymNet.Tests.Data;
using AsymNet.Tests.Support;

namespace AsymNet.Tests.Experiments.Lmc;

/// <summary>Every LMC model end to end at a tiny scale on real or generated data; the run folder's files parse.</summary>
public sealed class LmcEndToEndTests
{
    private const string AllVariants = "standard,rebasin,sigma,w";

    private static LmcRunResult Run(string dir, string model, string? dataset, string variants, DataPaths paths, int train = 64, int test = 64, int epochs = 1,
        bool checkpoints = false, int pairs = 1, int? parallel = null)
    {
        var recipe = LmcRecipe.Resolve(new LmcConfig
        {
            Model = model, Dataset = dataset, Pairs = pairs, Variants = LmcVariants.ParseList(variants), Epochs = epochs, Points = 3,
            TrainSize = train, TestSize = test, SaveCheckpoints = checkpoints,
        });
        using var task = LmcTasks.Create(recipe, paths);
        return new LmcExperiment(recipe, dir).Run(task, parallel: parallel);
    }

    /// <summary>Checks results.csv, barriers.csv, summary.md and lmc.svg/png for one pair of each variant.</summary>
    private static void AssertRunFolder(string dir, string variants, int points = 3)
    {
        var expected = LmcVariants.ParseList(variants).Select(v => v.Name()).ToList();
        var rows = File.ReadAllLines(Path.Combine(dir, LmcReport.ResultsFile)).Skip(1).Select(l => l.Split(',')).ToList();
        Assert.Equal(expected.Count * points, rows.Count);
        Assert.Equal(expected.Order(), rows.Select(r => r[1]).Distinct().Order());
        foreach (var r in rows)
        {
            Assert.Equal("0", r[0]);
            var (loss, accuracy) = (double.Parse(r[3], CultureInfo.InvariantCulture), double.Parse(r[4], CultureInfo.InvariantCulture));
            Assert.True(double.IsFinite(loss) && loss > 0, $"loss {loss}");
            Assert.InRange(accuracy, 0, 1);
        }
        var barriers = File.ReadAllLines(Path.Combine(dir, LmcReport.BarriersFile));
        Assert.Equal(1 + expected.Count, barriers.Length);
        Assert.Contains("| pairs (diverged) |", File.ReadAllText(Path.Combine(dir, LmcReport.SummaryFile)));
        FigureFiles.AssertSvgAndPng(dir, LmcReport.FigureName);
        Assert.NotNull(LmcRecipe.FromJson(File.ReadAllText(Path.Combine(dir, LmcExperiment.RecipeFile))));
    }

    [Fact]
    public void MlpOnEmbeddedMnistThroughTheCommandLineAndResume()
    {
        using var tmp = new TempDir();
        var args = new[] { "lmc", "--variants", AllVariants, "--pairs", "1", "--epochs", "1", "--points", "3", "--train-size", "128", "--test-size", "100", "--out", tmp.Path, "--json" };
        Assert.Equal(0, Program.Main(args));
        AssertRunFolder(tmp.Path, AllVariants);
        var pairFiles = Directory.GetFiles(Path.Combine(tmp.Path, LmcExperiment.PairsDir));
        Assert.Equal(3, pairFiles.Length);
        var written = pairFiles.ToDictionary(f => f, File.GetLastWriteTimeUtc);
        // The same command again finds every pair finished and trains nothing.
        var again = Run(tmp.Path, "mlp", null, AllVariants, DataPaths.Resolve(), train: 128, test: 100);
        Assert.Equal((0, 3), (again.Ran, again.Skipped));
        Assert.All(written, kv => Assert.Equal(kv.Value, File.GetLastWriteTimeUtc(kv.Key)));
    }

    [Fact]
    public void ResNet20OnFashionMnist()
    {
        RealDatasetTests.RequireFashionMnist();
        using var tmp = new TempDir();
        var r = Run(tmp.Path, "resnet20", "fashion-mnist", AllVariants, DataPaths.Resolve(), train: 32, test: 32);
        Assert.Equal(3, r.Ran);
        AssertRunFolder(tmp.Path, AllVariants);
    }

    [Fact]
    public void ResNet20OnAGeneratedCifarSet()
    {
        using var tmp = new TempDir();
        DataFixtures.WriteFiles(tmp["data/cifar10"], DataFixtures.Cifar10Files(perFile: 16));
        var r = Run(tmp["run"], "resnet20", null, AllVariants, DataPaths.Resolve(tmp["data"]), train: 32, test: 16, checkpoints: true);
        Assert.Equal(3, r.Ran);
        AssertRunFolder(tmp["run"], AllVariants);
        // Checkpoints rebuild their networks: the endpoint's test loss comes back from the file.
        var files = Directory.GetFiles(tmp["run/checkpoints"]).Select(Path.GetFileName).Order().ToList();
        Assert.Equal(["sigma-000-net0.safetensors", "sigma-000-net1.safetensors", "standard-000-net0.safetensors", "standard-000-net1-rebasin.safetensors",
            "standard-000-net1.safetensors", "w-000-net0.safetensors", "w-000-net1.safetensors"], files);
        var w0 = Checkpoint.Load(tmp["run/checkpoints/w-000-net0.safetensors"]);
        var recipe = LmcRecipe.FromJson(File.ReadAllText(Path.Combine(tmp["run"], LmcExperiment.RecipeFile)));
        using var task = LmcTasks.Create(recipe, DataPaths.Resolve(tmp["data"]));
        var pair = r.Pairs.Single(p => p.Family == AsymNet.NN.Models.Variant.W);
        Assert.Equal(pair.Networks[0].TestLoss, task.Evaluate(w0).Loss, 5);
    }

    [Fact]
    public void ResNet20x8OnAGeneratedCifarSet()
    {
        using var tmp = new TempDir();
        DataFixtures.WriteFiles(tmp["data/cifar10"], DataFixtures.Cifar10Files(perFile: 4));
        // The 17M-parameter network: W-Asym only, four images, to keep the test to seconds.
        var r = Run(tmp["run"], "resnet20x8", null, "w", DataPaths.Resolve(tmp["data"]), train: 4, test: 4);
        Assert.Equal(1, r.Ran);
        AssertRunFolder(tmp["run"], "w");
    }

    [Fact]
    public void GnnOnTheEmbeddedKnnGraph()
    {
        RealDatasetTests.RequireFashionMnist();
        using var tmp = new TempDir();
        var r = Run(tmp.Path, "gnn", null, AllVariants, DataPaths.Resolve(), epochs: 2);
        Assert.Equal(3, r.Ran);
        AssertRunFolder(tmp.Path, AllVariants);
        // Appendix A: train and validation accuracy of every network after every epoch, and the best of each.
        var epochs = File.ReadAllLines(Path.Combine(tmp.Path, LmcReport.EpochsFile)).Skip(1).Select(l => l.Split(',')).ToList();
        Assert.Equal(3 * 2 * 2, epochs.Count);
        Assert.All(epochs, e => Assert.InRange(double.Parse(e[6], CultureInfo.InvariantCulture), 0, 1));
        Assert.All(epochs, e => Assert.InRange(double.Parse(e[5], CultureInfo.InvariantCulture), 0, 1));
        Assert.Contains("| best validation accuracy (over epochs) |", File.ReadAllText(Path.Combine(tmp.Path, LmcReport.SummaryFile)));
    }

    [Fact]
    public void PaperScalePrintsItsPlanAndStopsWithPlan()
    {
        using var tmp = new TempDir();
        var run = tmp["run"];
        // The paper's MLP recipe (25 epochs, 6,000 held out, 5 pairs) on the embedded data, plan only.
        Assert.Equal(0, Program.Main(["lmc", "--scale", "paper", "--dataset", "mnist10k", "--plan", "--out", run]));
        Assert.False(Directory.Exists(run));
        // Missing data is an error naming the dataset, after the plan.
        Assert.Equal(1, Program.Main(["lmc", "--scale", "paper", "--plan", "--out", run, "--data-dir", tmp["empty"]]));
    }

}

[Collection(BlasThreadsCollection.Name)]
public sealed class LmcSideBySideTests
{
    [Fact]
    public void JobsSideBySideGiveTheSameResultsAsOneAfterAnotherWithOneBlasThread()
    {
        using var tmp = new TempDir();
        var recipe = LmcRecipe.Resolve(new LmcConfig
        {
            Pairs = 2, Variants = LmcVariants.ParseList("standard,w"), Epochs = 1, Points = 3, TrainSize = 64, TestSize = 64,
        });
        using var task = LmcTasks.Create(recipe, DataPaths.Resolve());
        var blas = AsymNet.Tensors.Gemm.Blas.Current;
        var threads = blas.Threads;
        blas.Threads = 1;
        try
        {
            Assert.Equal(4, new LmcExperiment(recipe, tmp["one"]).Run(task, parallel: 1).Ran);
        }
        finally
        {
            blas.Threads = threads;
        }
        Assert.Equal(4, new LmcExperiment(recipe, tmp["two"]).Run(task, parallel: 2).Ran);
        Assert.Equal(threads, blas.Threads);
        Assert.Equal(File.ReadAllText(tmp["one/" + LmcReport.ResultsFile]), File.ReadAllText(tmp["two/" + LmcReport.ResultsFile]));
    }
}
