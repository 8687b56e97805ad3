using System.Globalization;
using AsymNet.Bayes;
using AsymNet.Cli;
using AsymNet.Data;
using AsymNet.Experiments;
using AsymNet.Experiments.Bnn;
using AsymNet.Experiments.Jobs;
using AsymNet.NN.Checkpoints;
using AsymNet.NN.Models;
using AsymNet.Tests.Data;
using AsymNet.Tests.Support;

namespace AsymNet.Tests.Experiments.Bnn;

/// <summary>`asym bnn` end to end at a tiny scale on the embedded MNIST digits: files parse, predictions reproduce the
/// metrics, checkpoints load, a rerun skips finished runs.</summary>
public sealed class BnnEndToEndTests
{
    private static readonly CultureInfo Ci = CultureInfo.InvariantCulture;

    [Fact]
    public void MlpsThroughTheCommandLineThenResume()
    {
        using var tmp = new TempDir();
        string[] args = ["bnn", "--models", "mlp8", "--dataset", "mnist10k", "--epochs", "2", "--train-size", "100", "--test-size", "40", "--samples", "3", "--rank", "2", "--out", tmp.Path, "--json"];
        Assert.Equal(0, Program.Main(args));

        var results = File.ReadAllLines(Path.Combine(tmp.Path, BnnReport.ResultsFile));
        Assert.Equal("model,variant,run,epoch,train_loss,train_nll,kl_per_n,test_nll,test_accuracy,ece,diverged", results[0]);
        var rows = results.Skip(1).Select(l => l.Split(',')).ToList();
        Assert.Equal(2 * 2, rows.Count);
        Assert.Equal(["mlp8"], rows.Select(r => r[0]).Distinct());
        Assert.Equal(["standard", "w-asym"], rows.Select(r => r[1]).Distinct().Order());
        foreach (var r in rows)
        {
            Assert.True(double.Parse(r[4], Ci) > 0 && double.Parse(r[6], Ci) > 0, string.Join(',', r));
            // Epoch 1 is the half-way evaluation of 2 epochs: every epoch is evaluated here.
            Assert.InRange(double.Parse(r[8], Ci), 0, 1);
        }

        // predictions.csv alone reproduces the final NLL, accuracy and ECE of every run.
        var predictions = File.ReadAllLines(Path.Combine(tmp.Path, BnnReport.PredictionsFile));
        Assert.Equal("model,variant,run,index,label," + string.Join(',', Enumerable.Range(0, 10).Select(c => $"p_{c}")), predictions[0]);
        foreach (var group in predictions.Skip(1).Select(l => l.Split(',')).GroupBy(p => (p[0], p[1], p[2])))
        {
            var list = group.ToList();
            Assert.Equal(40, list.Count);
            var p = list.SelectMany(x => x.Skip(5).Select(v => double.Parse(v, Ci))).ToArray();
            foreach (var row in list) Assert.Equal(1.0, row.Skip(5).Sum(v => double.Parse(v, Ci)), 6);
            var metrics = PredictiveMetrics.From(p, 10, list.Select(x => int.Parse(x[4], Ci)).ToArray());
            var final = rows.Single(r => r[0] == group.Key.Item1 && r[1] == group.Key.Item2 && r[3] == "2");
            Assert.Equal(double.Parse(final[7], Ci), metrics.Nll, 12);
            Assert.Equal(double.Parse(final[8], Ci), metrics.Accuracy, 12);
            Assert.Equal(double.Parse(final[9], Ci), metrics.Ece, 12);
        }

        Assert.Contains("| W-Asym MLP-8 | 1 |", File.ReadAllText(Path.Combine(tmp.Path, BnnReport.SummaryFile)));
        FigureFiles.AssertSvgAndPng(tmp.Path, BnnReport.FigureName);
        var manifest = File.ReadAllText(Path.Combine(tmp.Path, "manifest.json"));
        Assert.Contains("\"experiment\": \"bnn\"", manifest);

        // The mean network loads as an ordinary checkpoint; the posterior file holds V and s per layer.
        var mean = Checkpoint.Load(Path.Combine(tmp.Path, BnnExperiment.CheckpointsDir, "mlp8-w-asym-000.safetensors"));
        Assert.Equal(9, ((Mlp)mean).Lins.Count);
        var posterior = Safetensors.Load(Path.Combine(tmp.Path, BnnExperiment.CheckpointsDir, "mlp8-w-asym-000.posterior.safetensors"));
        var names = posterior.Tensors.Select(t => t.Name).ToList();
        Assert.Contains("lins.0.v_weight", names);
        Assert.Contains("lins.8.s_bias", names);
        Assert.Equal([2, 256, 784], posterior.Tensors.Single(t => t.Name == "lins.0.v_weight").Shape);

        // A rerun finds every run finished and trains nothing; collect rebuilds the same tables.
        var jobFiles = Directory.GetFiles(Path.Combine(tmp.Path, "runs"), "*.json");
        Assert.Equal(2, jobFiles.Length);
        var stamps = jobFiles.ToDictionary(f => f, File.GetLastWriteTimeUtc);
        Assert.Equal(0, Program.Main(args));
        foreach (var f in jobFiles) Assert.Equal(stamps[f], File.GetLastWriteTimeUtc(f));
        Assert.Equal(results, File.ReadAllLines(Path.Combine(tmp.Path, BnnReport.ResultsFile)));
        var outcome = ExperimentCatalog.Collect(tmp.Path, "asym collect");
        Assert.True(outcome.Complete);
        Assert.Equal(results, File.ReadAllLines(Path.Combine(tmp.Path, BnnReport.ResultsFile)));
    }

    /// <summary>The ResNets (GroupNorm and BatchNorm, W-Asym convs with their masks) train and evaluate through the same job.</summary>
    [Theory]
    [InlineData("resnet20")]
    [InlineData("resnet20-bn")]
    public void ResNetRunsOneEpoch(string model)
    {
        using var tmp = new TempDir();
        var recipe = BnnRecipe.Resolve(new BnnConfig { Models = [model], Dataset = "mnist10k", Epochs = 1, TrainSize = 16, TestSize = 8, TestSamples = 2, Rank = 2 });
        var paths = DataPaths.Resolve(null);
        var result = JobEngine.Run(new BnnExperiment(recipe, tmp.Path, name => Datasets.LoadImages(name, paths)), new() { Parallel = 1 });
        Assert.Equal(2, result.Finished.Count);
        Assert.All(result.Finished, r => Assert.False(r.Diverged));
        Assert.All(result.Finished, r => Assert.InRange(r.Final!.TestAccuracy!.Value, 0, 1));
        // W-Asym: fixed entries are not random variables.
        var w = result.Finished.Single(r => r.Variant == Variant.W);
        var s = result.Finished.Single(r => r.Variant == Variant.Standard);
        Assert.True(w.RandomParameters < s.RandomParameters);
    }

    [Fact]
    public void RecipeChecksAndIdentity()
    {
        Assert.Throws<ArgumentException>(() => BnnRecipe.Resolve(new BnnConfig { Models = ["mlp9"] }));
        Assert.Throws<ArgumentException>(() => BnnRecipe.Resolve(new BnnConfig { Variants = [Variant.Sigma] }));
        Assert.Throws<ArgumentException>(() => BnnRecipe.Resolve(new BnnConfig { Rank = -1 }));
        var paper = BnnRecipe.Resolve(new BnnConfig { Scale = BnnScale.Paper });
        Assert.Equal(6, paper.Models.Count);
        Assert.Equal(50, paper.Epochs);
        Assert.Equal(10, paper.Runs);
        Assert.Equal("cifar100", paper.Models.Single(m => m.Name == "resnet20-bn").Dataset);
        Assert.Equal(8, paper.AugmentationMultiplier);
        Assert.Equal(25, paper.HalfEpoch);
        // The model list only selects jobs (a folder can gather its models from several runs); a setting that changes
        // every model's posterior does not.
        var mlp8 = BnnRecipe.Resolve(new BnnConfig { Models = ["mlp8"] });
        Assert.Equal(mlp8.IdentityJson(), BnnRecipe.Resolve(new BnnConfig { Models = ["mlp16"], Runs = 3 }).IdentityJson());
        Assert.NotEqual(mlp8.IdentityJson(), BnnRecipe.Resolve(new BnnConfig { Models = ["mlp8"], Rank = 2 }).IdentityJson());
        Assert.NotEqual(mlp8.IdentityJson(), BnnRecipe.Resolve(new BnnConfig { Models = ["mlp8"], LearnDiagonal = true }).IdentityJson());
    }
}
