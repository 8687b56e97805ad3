using System.Globalization;
using System.Text.Json;
using AsymNet.Experiments.Jobs;
using AsymNet.Experiments.Metanet;
using AsymNet.Experiments.Runs;
using AsymNet.Experiments.Zoo;
using AsymNet.Tests.Cli;
using AsymNet.Tests.Data;
using AsymNet.Tests.Experiments.Zoo;

namespace AsymNet.Tests.Experiments.Metanet;

/// <summary>`asym metanet` and `asym zoo stats` on a tiny synthetic zoo: the files parse, the selection picks a trial's
/// rate, a rerun skips everything.</summary>
[Collection(ConsoleCollection.Name)]
public class MetanetEndToEndTests
{
    [Fact]
    public void MetanetRunsEveryMetanetOnATinyZooAndResumes()
    {
        using var dir = new TempDir();
        var zoo = dir["zoo"];
        Directory.CreateDirectory(zoo);
        SyntheticZoo.Write(zoo, 8);
        var run = dir["run"];
        string[] args = ["metanet", "--zoo", zoo, "--out", run, "--epochs", "2", "--runs", "2", "--lrs", "1e-3,1e-2", "--batch-size", "3", "--json"];
        var (code, json) = CliRunner.Json(args);
        Assert.Equal(0, code);
        Assert.Equal(2 * 4 * 2 + 2 * 4 * 2, json!.Value.GetProperty("ran").GetInt32());
        Assert.Equal(0, json.Value.GetProperty("missing").GetArrayLength());

        var results = File.ReadAllLines(Path.Combine(run, MetanetReport.ResultsFile));
        Assert.Equal("metanet,variant,lr,run,phase,epoch,split,mse,r2,tau", results[0]);
        var cells = results.Skip(1).Select(l => l.Split(',')).ToList();
        Assert.All(cells, c => Assert.Equal(10, c.Length));
        Assert.All(cells.Where(c => c[6] != "train"), c => double.Parse(c[8], CultureInfo.InvariantCulture));
        Assert.Equal(4 * 2 * 2 * 2, cells.Count(c => c[4] == "trial" && c[6] == "val"));
        // Each seeded run uses the rate of its pair's best trial.
        var experiment = new MetanetExperiment(new MetanetRecipe { Zoo = zoo, LearningRates = [1e-3, 1e-2], Runs = 2, Epochs = 2, BatchSize = 3 }, run);
        foreach (var c in cells.Where(c => c[4] == "run"))
            Assert.Equal(experiment.ChosenLearningRate(AsymNet.NN.Models.MetanetPresets.Parse(c[0]), c[1]), double.Parse(c[2], CultureInfo.InvariantCulture));

        var predictions = File.ReadAllLines(Path.Combine(run, MetanetReport.PredictionsFile));
        Assert.Equal("metanet,variant,run,epoch,split,index,target,prediction", predictions[0]);
        // 8 networks: 4 train, 2 validation, 2 test; validation and test predicted by 4 metanets × 2 variants × 2 runs.
        Assert.Equal(4 * 2 * 2 * 4, predictions.Length - 1);
        Assert.All(predictions.Skip(1), l => Assert.True(double.IsFinite(double.Parse(l.Split(',')[7], CultureInfo.InvariantCulture))));

        var summary = File.ReadAllText(Path.Combine(run, MetanetReport.SummaryFile));
        Assert.Contains("| dmc | w |", summary);
        Assert.Contains("0.967", summary);
        Assert.Equal("completed", RunFolder.ReadManifest(run).Status);

        var (again, rerun) = CliRunner.Json(args);
        Assert.Equal(0, again);
        Assert.Equal(0, rerun!.Value.GetProperty("ran").GetInt32());

        // asym collect rebuilds the same tables from the folder alone.
        File.Delete(Path.Combine(run, MetanetReport.SummaryFile));
        var outcome = AsymNet.Experiments.ExperimentCatalog.Collect(run, "asym collect");
        Assert.Equal("metanet", outcome.Experiment);
        Assert.Empty(outcome.Missing);
        static IEnumerable<string> TableRows(string text) => text.Split('\n').Where(l => l.StartsWith('|'));
        Assert.Equal(TableRows(summary), TableRows(File.ReadAllText(Path.Combine(run, MetanetReport.SummaryFile))));
    }

    [Fact]
    public void AsymZooThenAsymMetanet()
    {
        using var dir = new TempDir();
        var zoo = dir["zoo"];
        var recipe = ZooTests.TinyRecipe(networks: 6);
        Assert.Equal(12, JobEngine.Run(new ZooExperiment(recipe, zoo, ZooTests.TinyData(recipe)), new JobRunOptions()).Ran);
        var run = dir["run"];
        var (code, json) = CliRunner.Json("metanet", "--zoo", zoo, "--out", run, "--epochs", "2", "--runs", "1", "--lrs", "1e-3", "--batch-size", "2", "--json");
        Assert.Equal(0, code);
        Assert.Equal(4 * 2, json!.Value.GetProperty("ran").GetInt32());
        var summary = json.Value.GetProperty("summary");
        Assert.Equal(8, summary.GetArrayLength());
        // 6 networks: 3 train, 2 validation (1.5 rounds to 2), 1 test; a fashion-mnist ResNet8's stem has 1 input channel.
        var predictions = File.ReadAllLines(Path.Combine(run, MetanetReport.PredictionsFile)).Skip(1).Select(l => l.Split(',')).ToList();
        Assert.Equal(8 * 3, predictions.Count);
        var results = File.ReadAllLines(Path.Combine(run, MetanetReport.ResultsFile));
        Assert.Contains(results, l => l.StartsWith("dmc,w,0.001,0,run,1,val,", StringComparison.Ordinal));
        Assert.Equal("completed", RunFolder.ReadManifest(run).Status);
    }

    [Fact]
    public void ZooStatsReportsAccuraciesAndDistances()
    {
        using var dir = new TempDir();
        SyntheticZoo.Write(dir.Path, 4, diverged: 2);
        var old = Console.Out;
        var captured = new StringWriter();
        Console.SetOut(captured);
        try
        {
            Assert.Equal(0, AsymNet.Cli.Program.Main(["zoo", "stats", dir.Path, "--pairs", "2", "--json"]));
        }
        finally
        {
            Console.SetOut(old);
        }
        var stats = JsonDocument.Parse(captured.ToString()).RootElement;
        Assert.Equal(2, stats.GetArrayLength());
        var w = stats[1];
        Assert.Equal("w", w.GetProperty("variant").GetString());
        Assert.Equal(3, w.GetProperty("networks").GetInt32());
        Assert.Equal(1, w.GetProperty("diverged").GetInt32());
        Assert.Equal(60_634, w.GetProperty("trainableParameters").GetInt32());
        Assert.Equal(2, w.GetProperty("pairs").GetInt32());
        Assert.True(w.GetProperty("distancePerParameter").GetDouble() > 0);
    }
}
