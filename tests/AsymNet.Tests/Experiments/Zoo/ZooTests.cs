using System.Globalization;
using AsymNet.Experiments.Jobs;
using AsymNet.Experiments.Zoo;
using AsymNet.NN.Checkpoints;
using AsymNet.NN.Models;
using AsymNet.Tests.Data;
using AsymNet.Tests.NN.Training;

namespace AsymNet.Tests.Experiments.Zoo;

/// <summary>The zoo's hyperparameter table, its jobs end to end on a tiny synthetic dataset, resume and divergence.</summary>
public sealed class ZooTests
{
    /// <summary>The quick recipe shrunk to seconds: 64 training images, batch 32, one epoch.</summary>
    internal static ZooRecipe TinyRecipe(int networks = 2, string variants = "standard,w", ulong seed = 3) =>
        ZooRecipe.Resolve(ZooScale.Quick, seed, networks, ZooRecipe.ParseVariants(variants), trainSize: 64, testSize: 40) with
        {
            BatchSize = 32, EvalBatchSize = 32, Ranges = new HyperparameterRanges { EpochsMin = 1, EpochsMax = 2 },
        };

    internal static ZooData TinyData(ZooRecipe recipe) =>
        new(recipe, (SyntheticImages.Create(96, 1, "fashion-mnist"), SyntheticImages.Create(48, 2, "fashion-mnist")));

    [Fact]
    public void HyperparameterRowsAreDeterministicWithinThePapersRangesAndSharedByVariants()
    {
        var r = ZooRecipe.Resolve(ZooScale.Paper).Ranges;
        var rows = Enumerable.Range(0, 2000).Select(i => ZooHyperparameters.Row(7, i, r)).ToList();
        Assert.All(rows, h =>
        {
            Assert.InRange(h.LearningRate, 0.005, 0.5);
            Assert.InRange(h.WeightDecay, 1e-5, 0.1);
            Assert.InRange(h.LabelSmoothing, 0, 0.2);
            Assert.InRange(h.Epochs, 10, 40);
        });
        Assert.Equal(Enumerable.Range(10, 31), rows.Select(h => h.Epochs).Distinct().Order());
        // log10(lr / 0.5) is uniform on (−2, 0): its mean is −1.
        Assert.InRange(rows.Average(h => Math.Log10(h.LearningRate / 0.5)), -1.1, -0.9);
        Assert.Equal(rows[5], ZooHyperparameters.Row(7, 5, r));
        Assert.NotEqual(rows[5], ZooHyperparameters.Row(8, 5, r));
    }

    [Theory]
    [InlineData(ZooScale.Quick)]
    [InlineData(ZooScale.Paper)]
    public void MiddleRowAndMeanEpochsDescribeTheSampledTable(ZooScale scale)
    {
        // The bench's networks/hour counts MeanEpochs per network and trains at Middle: both must match what Row draws.
        var r = ZooRecipe.Resolve(scale).Ranges;
        var rows = Enumerable.Range(0, 4000).Select(i => ZooHyperparameters.Row(11, i, r)).ToList();
        var middle = ZooHyperparameters.Middle(r);
        Assert.InRange(rows.Average(h => h.Epochs) - r.MeanEpochs(), -0.05 * r.MeanEpochs(), 0.05 * r.MeanEpochs());
        Assert.Equal(middle.Epochs, (int)Math.Round(r.MeanEpochs()));
        Assert.InRange(rows.Average(h => Math.Log10(h.LearningRate)) - Math.Log10(middle.LearningRate), -0.05, 0.05);
        Assert.InRange(rows.Average(h => Math.Log10(h.WeightDecay)) - Math.Log10(middle.WeightDecay), -0.1, 0.1);
        Assert.InRange(rows.Average(h => h.LabelSmoothing) - middle.LabelSmoothing, -0.01, 0.01);
    }

    [Fact]
    public void QuickZooNetworksArePaddedToThirtyTwoAndKeepThePapersTrainableCount()
    {
        // One input channel changes only the stem, which W-Asym fixes entirely (1 ≤ 8 input filters), as at 3 channels.
        var recipe = ZooRecipe.Resolve(ZooScale.Quick);
        Assert.Equal([1, 32, 32], recipe.Shape().InputShape);
        var w = ModelFactory.Create(ZooNetworks.Config(recipe, recipe.Shape(), Variant.W), 1);
        var standard = ModelFactory.Create(ZooNetworks.Config(recipe, recipe.Shape(), Variant.Standard), 1);
        Assert.Equal(60_634, w.TrainableParameterCount());
        Assert.Equal(78_042 - 2 * 16 * 9, standard.TotalParameterCount());
    }

    [Fact]
    public void ZooRunWritesNetworksInitsAndZooCsvAndResumes()
    {
        using var tmp = new TempDir();
        var recipe = TinyRecipe();
        var data = TinyData(recipe);
        var first = JobEngine.Run(new ZooExperiment(recipe, tmp.Path, data), new JobRunOptions());
        Assert.Equal(4, first.Ran);

        var lines = File.ReadAllLines(Path.Combine(tmp.Path, ZooFolder.ZooCsvFile));
        Assert.Equal("index,variant,seed,lr,weight_decay,label_smoothing,epochs,train_loss,train_accuracy,test_loss,test_accuracy,diverged,seconds", lines[0]);
        Assert.Equal(["0,standard", "0,w", "1,standard", "1,w"], lines.Skip(1).Select(l => string.Join(',', l.Split(',').Take(2))));
        var rows = lines.Skip(1).Select(l => l.Split(',')).ToList();
        Assert.Equal(rows[0][3..7], rows[1][3..7]); // paired: network 0 of both zoos has the same hyperparameters
        foreach (var row in rows)
        {
            Assert.Equal("0", row[11]);
            Assert.InRange(double.Parse(row[10], CultureInfo.InvariantCulture), 0, 1);
            Assert.InRange(double.Parse(row[8], CultureInfo.InvariantCulture), 0, 1);
        }
        Assert.Equal(3, File.ReadAllLines(Path.Combine(tmp.Path, ZooFolder.HyperparametersFile)).Length);

        var folder = new ZooFolder(tmp.Path);
        var trained = Checkpoint.Load(folder.TrainedPath(Variant.W, 1));
        var init = Checkpoint.Load(folder.InitPath(Variant.W, 1));
        Assert.Equal(trained.FixedStateHash(), init.FixedStateHash());
        float[] Linear(Model m) => m.StateDict().Single(kv => kv.Key == "linear.weight").Value.Span.ToArray();
        Assert.NotEqual(Linear(trained), Linear(init));
        // θ₀ is the network exactly as built from its init seed.
        var seed = ZooNetworks.NetworkSeed(recipe.Seed, new ZooJob(1, Variant.W));
        var rebuilt = ModelFactory.Create(ZooNetworks.Config(recipe, data.Shape, Variant.W), ZooNetworks.InitSeed(seed));
        Assert.Equal(rebuilt.EffectiveStateDict().SelectMany(kv => kv.Value.Span.ToArray()), init.StateDict().SelectMany(kv => kv.Value.Span.ToArray()));
        // The recorded test accuracy is the saved network's.
        var acc = double.Parse(rows[3][10], CultureInfo.InvariantCulture);
        Assert.Equal(acc, data.Test(trained).Accuracy);

        var bytes = File.ReadAllBytes(folder.TrainedPath(Variant.Standard, 1));
        var again = JobEngine.Run(new ZooExperiment(recipe, tmp.Path, data), new JobRunOptions());
        Assert.Equal(0, again.Ran);
        Assert.Equal(4, again.Skipped);

        // A network lost in flight (no job file) is retrained on rerun, bit for bit the same.
        File.Delete(Path.Combine(tmp.Path, "jobs", "standard-00001.json"));
        File.Delete(folder.TrainedPath(Variant.Standard, 1));
        var resumed = JobEngine.Run(new ZooExperiment(recipe, tmp.Path, data), new JobRunOptions());
        Assert.Equal(1, resumed.Ran);
        Assert.Equal(bytes, File.ReadAllBytes(folder.TrainedPath(Variant.Standard, 1)));
    }

    [Fact]
    public void CifarTenTakesTheAuthorsFfcvPipelineOtherDatasetsTheirOwnMean()
    {
        var images = SyntheticImages.Create(4, 1, "fashion-mnist");
        Assert.Same(AsymNet.Data.AugmentationRecipes.MetanetFfcv, ZooData.Ffcv("cifar10", images));
        var own = ZooData.Ffcv("fashion-mnist", images);
        Assert.Equal("hflip(p=0.5) → crop(pad=2, fill=0.286) → cutout(4, fill=0.286) → normalize(fashion-mnist)", own.Describe());
    }

    [Fact]
    public void ShardsShareOneFolderAndCollectWritesZooCsv()
    {
        using var tmp = new TempDir();
        var recipe = TinyRecipe(networks: 1);
        var data = TinyData(recipe);
        var first = JobEngine.Run(new ZooExperiment(recipe, tmp.Path, data), new JobRunOptions { Shard = new Shard(0, 2) });
        Assert.Equal(1, first.Ran);
        Assert.False(File.Exists(Path.Combine(tmp.Path, ZooFolder.ZooCsvFile))); // a shard leaves the tables to collect
        var partial = AsymNet.Experiments.ExperimentCatalog.Collect(tmp.Path, "asym collect");
        Assert.False(partial.Complete);
        Assert.Equal(["w #0"], partial.Missing);
        JobEngine.Run(new ZooExperiment(recipe, tmp.Path, data), new JobRunOptions { Shard = new Shard(1, 2) });
        var outcome = AsymNet.Experiments.ExperimentCatalog.Collect(tmp.Path, "asym collect");
        Assert.True(outcome.Complete);
        Assert.Equal("zoo", outcome.Experiment);
        Assert.Equal(3, File.ReadAllLines(Path.Combine(tmp.Path, ZooFolder.ZooCsvFile)).Length);
    }

    [Fact]
    public void ADivergingNetworkIsRecordedWithoutAFile()
    {
        using var tmp = new TempDir();
        var recipe = TinyRecipe(networks: 1, variants: "sigma") with { Ranges = new HyperparameterRanges { LrScale = 1e30, EpochsMin = 1, EpochsMax = 1 } };
        var result = JobEngine.Run(new ZooExperiment(recipe, tmp.Path, TinyData(recipe)), new JobRunOptions());
        var r = Assert.Single(result.Finished);
        Assert.True(r.Diverged);
        Assert.False(File.Exists(new ZooFolder(tmp.Path).TrainedPath(Variant.Sigma, 0)));
        var row = File.ReadAllLines(Path.Combine(tmp.Path, ZooFolder.ZooCsvFile))[1].Split(',');
        Assert.Equal(("1", "NaN"), (row[11], row[10]));
    }
}
