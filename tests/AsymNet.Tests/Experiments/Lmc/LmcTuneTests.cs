using System.Globalization;
using System.Text.Json;
using AsymNet.Data;
using AsymNet.Experiments;
using AsymNet.Experiments.Jobs;
using AsymNet.Experiments.Lmc;
using AsymNet.Experiments.Lmc.Tuning;
using AsymNet.NN.Models;
using AsymNet.Symmetry.Interpolation;
using AsymNet.Tests.Cli;
using AsymNet.Tests.Data;

namespace AsymNet.Tests.Experiments.Lmc;

/// <summary>`asym lmc --tune` (docs/lmc.md, Tuning): the validation split, the argmin choice, resume, shards, the files.</summary>
[Collection(ConsoleCollection.Name)]
public sealed class LmcTuneTests
{
    private const string Grid = "epochs=1;lr=1e-3,3e-3;wd=0.03";

    private static string[] Args(string dir, params string[] extra) =>
    [
        "lmc", "--tune", "--tune-grid", Grid, "--variants", "standard,rebasin,w", "--pairs", "1", "--points", "3",
        "--train-size", "128", "--test-size", "64", "--tune-valid", "64", "--out", dir, .. extra,
    ];

    private static LmcTuneRecipe Recipe(string variants = "standard,rebasin,w") => LmcTuneRecipe.Resolve(
        new LmcConfig { Variants = LmcVariants.ParseList(variants), Pairs = 1, Points = 3, TrainSize = 128, TestSize = 64 }, Grid, 1, 64);

    [Fact]
    public void EndToEndTheChoiceIsTheArgminOfTheSearchTableAndAResumeTrainsNothing()
    {
        using var tmp = new TempDir();
        var (code, json) = CliRunner.Json(Args(tmp.Path, "--json"));
        Assert.Equal(0, code);
        Assert.Equal("test", json!.Value.GetProperty("phase").GetString());

        // tune.csv: one row per search pair and curve (standard + re-basin for the standard kind, w for W-Asym).
        var rows = File.ReadAllLines(Path.Combine(tmp.Path, LmcTuneReport.TableFile));
        Assert.Equal("variant,epochs,lr,weight_decay,pair,diverged,validation_barrier,validation_accuracy,chosen", rows[0]);
        var table = rows.Skip(1).Select(l => l.Split(',')).ToList();
        Assert.Equal(2 * 2 + 2 * 1, table.Count);
        Assert.All(table, r => Assert.True(double.IsFinite(D(r[6])) && D(r[7]) is >= 0 and <= 1, string.Join(",", r)));

        // The chosen values per kind are the argmin of its own variant's barrier over the table's cells.
        var test = LmcRecipe.FromJson(File.ReadAllText(Path.Combine(tmp.Path, LmcTuneExperiment.TestDir, JobEngine.RecipeFile)));
        Assert.NotNull(test.Tuned);
        foreach (var (variant, family) in new[] { ("standard", Variant.Standard), ("w", Variant.W) })
        {
            var best = table.Where(r => r[0] == variant).GroupBy(r => (E: int.Parse(r[1], CultureInfo.InvariantCulture), Lr: D(r[2]), Wd: D(r[3])))
                .Select(g => (g.Key, Barrier: g.Average(r => D(r[6])))).MinBy(c => c.Barrier).Key;
            var chosen = Assert.Single(test.Tuned!, t => t.Family == family);
            Assert.Equal((best.E, best.Lr, best.Wd), (chosen.Epochs, chosen.LearningRate, chosen.WeightDecay));
            Assert.All(table.Where(r => r[0] == variant), r => Assert.Equal(D(r[2]) == best.Lr ? "true" : "false", r[8]));
        }

        // tune.json and summary.md parse and agree; test/ is an ordinary LMC run folder.
        using (var tune = JsonDocument.Parse(File.ReadAllText(Path.Combine(tmp.Path, LmcTuneReport.ChoiceFile))))
        {
            Assert.True(tune.RootElement.GetProperty("complete").GetBoolean());
            Assert.Equal(2, tune.RootElement.GetProperty("choices").GetArrayLength());
            Assert.Equal(3, tune.RootElement.GetProperty("test").GetArrayLength());
            foreach (var c in tune.RootElement.GetProperty("choices").EnumerateArray())
                Assert.Contains(test.Tuned!, t => t.LearningRate == c.GetProperty("learningRate").GetDouble() && t.Epochs == c.GetProperty("epochs").GetInt32());
        }
        var summary = File.ReadAllText(Path.Combine(tmp.Path, LmcReport.SummaryFile));
        Assert.Contains("## Chosen values", summary);
        Assert.Contains("| Git Re-Basin |", summary);
        Assert.Equal(1 + 3, File.ReadAllLines(Path.Combine(tmp.Path, LmcTuneExperiment.TestDir, LmcReport.BarriersFile)).Length);

        // The same command again finds every search and test job finished and trains nothing.
        var files = Directory.GetFiles(Path.Combine(tmp.Path, LmcTuneExperiment.SearchDir))
            .Concat(Directory.GetFiles(Path.Combine(tmp.Path, LmcTuneExperiment.TestDir, LmcExperiment.PairsDir))).ToDictionary(f => f, File.GetLastWriteTimeUtc);
        Assert.Equal(4 + 2, files.Count);
        Assert.Equal(0, CliRunner.Json(Args(tmp.Path, "--json")).Code);
        Assert.All(files, kv => Assert.Equal(kv.Value, File.GetLastWriteTimeUtc(kv.Key)));

        var collected = ExperimentCatalog.Collect(tmp.Path, "asym collect");
        Assert.Equal((LmcTuneExperiment.ExperimentName, true, 6), (collected.Experiment, collected.Complete, collected.Finished));
    }

    [Fact]
    public void TheValidationSplitIsCarvedFromTheTrainingDataAndDisjointFromWhatTrains()
    {
        var recipe = Recipe();
        var data = Datasets.LoadImages(recipe.Base.Dataset, DataPaths.Resolve());
        var e = new LmcTuneExperiment(recipe, "unused");
        using var search = new ImageLmcTask(e.TrialRecipe(recipe.Grid.Cells(Variant.Standard)[0]), data, validation: true);
        using var final = new ImageLmcTask(recipe.Final([.. recipe.Families.Select(recipe.Defaults)]), data);
        Assert.Same(data.Train, search.Evaluation.Set);
        Assert.Same(data.Test, final.Evaluation.Set);
        Assert.Equal(64, search.Evaluation.Indices.Count);
        Assert.Equal(128, search.TrainIndices.Count);
        Assert.Empty(search.Evaluation.Indices.Intersect(search.TrainIndices));
        // The test run trains on exactly the images the search trained on; none of them is a validation image.
        Assert.Equal(search.TrainIndices, final.TrainIndices);
        Assert.Empty(search.Evaluation.Indices.Intersect(final.TrainIndices));
        // A tuned recipe trains each kind of network for its own epochs; an untuned one writes no "tuned" field, so
        // existing run folders keep their recipe identity.
        var tuned = recipe.Final([recipe.Defaults(Variant.Standard) with { Epochs = 1 }, recipe.Defaults(Variant.W) with { Epochs = 2 }]);
        using var tunedTask = new ImageLmcTask(tuned, data);
        foreach (var (variant, epochs) in new[] { (LmcVariant.Standard, 1), (LmcVariant.W, 2) })
        {
            var model = ModelFactory.Create(ModelPresets.Get("mlp", variant.Family(), tunedTask.Shape, 1), 2);
            Assert.Equal(epochs, tunedTask.Train(model, variant, 3, null, default).Epochs!.Count);
        }
        Assert.DoesNotContain("\"tuned\"", recipe.Base.IdentityJson());
        Assert.Contains("\"tuned\"", tuned.IdentityJson());
        // A recipe without a hold-out has nothing to validate on.
        Assert.Throws<ArgumentException>(() => new ImageLmcTask(recipe.Base with { ValidHoldout = 0 }, data, validation: true));
    }

    [Fact]
    public void ShardsRunTheSearchFirstAndTheTestPairsOnceItIsFinished()
    {
        using var tmp = new TempDir();
        var recipe = Recipe("standard,w");
        var data = Datasets.LoadImages(recipe.Base.Dataset, DataPaths.Resolve());
        var first = LmcTuneRun.Run(recipe, tmp.Path, data, new JobRunOptions { Shard = Shard.Parse("0/2") });
        Assert.Null(first.Test);
        Assert.False(Directory.Exists(Path.Combine(tmp.Path, LmcTuneExperiment.TestDir)));
        var second = LmcTuneRun.Run(recipe, tmp.Path, data, new JobRunOptions { Shard = Shard.Parse("1/2") });
        Assert.Equal(1, second.Test!.Ran);
        var whole = LmcTuneRun.Run(recipe, tmp.Path, data, new JobRunOptions());
        Assert.Equal((0, 4), (whole.Search.Ran, whole.Search.Skipped));
        Assert.Equal((1, 1), (whole.Test!.Ran, whole.Test.Skipped));
    }

    [Fact]
    public void TheChoiceWaitsForEveryCellSkipsDivergedCellsAndBreaksTiesInGridOrder()
    {
        var recipe = LmcTuneRecipe.Resolve(new LmcConfig { Variants = [LmcVariant.Standard] }, "epochs=1,2;lr=1e-3;wd=0,0.1", 1);
        var cells = recipe.Grid.Cells(Variant.Standard);
        Assert.Equal(4, cells.Count);
        var results = new List<LmcTuneTrialResult> { Trial(cells[0], 0.3), Trial(cells[1], 0.1), Trial(cells[2], double.NaN) };
        Assert.Null(LmcTuneSelection.Choose(recipe, results, Variant.Standard));
        results.Add(Trial(cells[3], 0.1));
        var choice = LmcTuneSelection.Choose(recipe, results, Variant.Standard)!;
        Assert.Equal(cells[1], choice.Chosen.Values);
        Assert.Equal(1, LmcTuneSelection.Cells(recipe, results, Variant.Standard)[2].DivergedPairs);
        Assert.Empty(LmcTuneSelection.AllDiverged(recipe, results));
        var diverged = cells.Select(c => Trial(c, double.NaN)).ToList();
        Assert.Null(LmcTuneSelection.ChooseAll(recipe, diverged));
        Assert.Equal([Variant.Standard], LmcTuneSelection.AllDiverged(recipe, diverged));
    }

    [Fact]
    public void TheDefaultGridSurroundsTheRecipesValuesAndASpecReplacesOnlyItsAxes()
    {
        var recipe = LmcRecipe.Resolve(new LmcConfig());
        var grid = LmcTuneGrid.Default(recipe);
        Assert.Equal([recipe.Epochs / 2, recipe.Epochs, 2 * recipe.Epochs], grid.Epochs);
        Assert.Contains(recipe.LearningRate, grid.LearningRates);
        Assert.Equal([0, recipe.WeightDecay, 10 * recipe.WeightDecay], grid.WeightDecays, (a, b) => Math.Abs(a - b) < 1e-12);
        var parsed = LmcTuneGrid.Parse("lr=0.01", grid);
        Assert.Equal((grid.Epochs, grid.WeightDecays), (parsed.Epochs, parsed.WeightDecays));
        Assert.Equal([0.01], parsed.LearningRates);
        Assert.Equal(parsed.ToString(), LmcTuneGrid.Parse(parsed.ToString(), grid).ToString());
        Assert.Throws<ArgumentException>(() => LmcTuneGrid.Parse("epochs=1.5", grid));
        Assert.Throws<ArgumentException>(() => LmcTuneGrid.Parse("lr=0", grid));
        Assert.Throws<ArgumentException>(() => LmcTuneGrid.Parse("momentum=0.9", grid));
    }

    [Theory]
    [InlineData("lmc", "--tune", "--model", "resnet20")]
    [InlineData("lmc", "--tune", "--epochs", "3")]
    [InlineData("lmc", "--tune-grid", "lr=1e-3")]
    [InlineData("lmc", "--tune", "--tune-pairs", "0")]
    public void MisusedTuneOptionsAreUsageErrors(params string[] args) => Assert.Equal(2, CliRunner.Run(args).Code);

    private static double D(string s) => double.Parse(s, CultureInfo.InvariantCulture);

    /// <summary>A search result whose pair has the given validation barrier (NaN: a diverged network, no curve).</summary>
    private static LmcTuneTrialResult Trial(LmcHyperparameters values, double barrier)
    {
        var diverged = double.IsNaN(barrier);
        var network = new LmcNetworkResult
        {
            InitSeed = 1, DataSeed = 2, Diverged = diverged, FinalTrainLoss = 0.1, TestLoss = 0.2, TestAccuracy = 0.9, Seconds = 0,
        };
        LmcPoint[] points = [new(0, 0.2, 0.9), new(0.5, 0.2 + barrier, 0.8), new(1, 0.2, 0.9)];
        var curves = diverged ? [] : new[]
        {
            new LmcCurveResult
            {
                Variant = LmcVariant.Standard, Points = points, MidpointBarrier = barrier, MaxBarrier = barrier, MaxLoss = 0.2 + barrier, MidpointAccuracyDrop = 0.1,
            },
        };
        return new LmcTuneTrialResult
        {
            Values = values, Pair = 0,
            Result = new LmcPairResult { Pair = 0, Family = values.Family, ArchitectureSeed = 0, Networks = [network, network], Curves = curves, Seconds = 0 },
        };
    }
}
