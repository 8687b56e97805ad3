using System.Globalization;
using AsymNet.Experiments.Lmc;
using AsymNet.NN.Models;
using AsymNet.Tensors;
using AsymNet.Tests.Data;
using AsymNet.Tests.Support;

namespace AsymNet.Tests.Experiments.Lmc;

/// <summary>The LMC job list, run folder, resume and report files, with a stand-in task that trains nothing.</summary>
public sealed class LmcExperimentTests
{
    /// <summary>"Training" leaves the init; the "test loss" is the mean squared weight (convex in λ, so barriers are
    /// negative); networks whose data seed is listed diverge.</summary>
    private sealed class StandInTask(params ulong[] divergingDataSeeds) : ILmcTask
    {
        private int _trained, _aligned;
        public int Trained => _trained;
        public int Aligned => _aligned;
        public DatasetShape Shape => DatasetShape.Mnist;
        public string Description => "stand-in";
        public int StepsPerEpoch => 3;

        public LmcTrainOutcome Train(Model model, LmcVariant family, ulong dataSeed, Action<LmcEpochProgress>? progress, CancellationToken cancel)
        {
            Interlocked.Increment(ref _trained);
            progress?.Invoke(new LmcEpochProgress(1, 1, 0.5, 1e-3));
            return divergingDataSeeds.Contains(dataSeed) ? new(true, "loss NaN in epoch 1", double.NaN) : new(false, null, 0.5);
        }

        public (double Loss, double Accuracy) Evaluate(Model model)
        {
            double sum = 0;
            long n = 0;
            foreach (var p in model.Parameters())
            {
                foreach (var v in p.Span) sum += v * (double)v;
                n += p.Length;
            }
            return (sum / n, 0.5);
        }

        public IEnumerable<ModelInput> StatisticsBatches() => [];
        public string Align(Model a, Model b, Rng rng) { Interlocked.Increment(ref _aligned); return "identity"; }
        public (double StepSeconds, double EvalSeconds) Measure(Model model) => (0.01, 0.1);
        public void Dispose() { }
    }

    private static LmcRecipe Recipe(int pairs = 2, string variants = "standard,rebasin,w", int epochs = 1) =>
        LmcRecipe.Resolve(new LmcConfig { Pairs = pairs, Variants = LmcVariants.ParseList(variants), Epochs = epochs, Points = 5 });

    [Fact]
    public void RunWritesTidyResultsSummaryAndFigureAndResumes()
    {
        using var tmp = new TempDir();
        var task = new StandInTask();
        var events = new List<LmcEvent>();
        var result = new LmcExperiment(Recipe(), tmp.Path).Run(task, events.Add);
        Assert.Equal(4, result.Ran);
        Assert.Equal(8, task.Trained);
        Assert.Equal(2, task.Aligned);
        Assert.Equal(4, events.OfType<LmcJobFinished>().Count());
        Assert.Equal(3 * 2 * 5, events.OfType<LmcCurvePoint>().Count());

        var rows = File.ReadAllLines(Path.Combine(tmp.Path, LmcReport.ResultsFile));
        Assert.Equal("pair,variant,lambda,test_loss,test_accuracy", rows[0]);
        Assert.Equal(1 + 3 * 2 * 5, rows.Length);
        var parsed = rows.Skip(1).Select(r => r.Split(',')).ToList();
        Assert.All(parsed, r => double.Parse(r[3], CultureInfo.InvariantCulture));
        Assert.Equal(["rebasin", "standard", "w"], parsed.Select(r => r[1]).Distinct().Order());
        var barriers = File.ReadAllLines(Path.Combine(tmp.Path, LmcReport.BarriersFile));
        Assert.Equal(3 * 2 + 1, barriers.Length);
        Assert.EndsWith(",distance_per_parameter", barriers[0]);
        Assert.All(barriers.Skip(1), r => Assert.True(double.Parse(r.Split(',')[^1], CultureInfo.InvariantCulture) > 0));
        var summary = File.ReadAllText(Path.Combine(tmp.Path, LmcReport.SummaryFile));
        Assert.Contains("| | Standard | Git Re-Basin | W-Asym |", summary);
        Assert.Contains("| monotonic from either end (Δ) |", summary);
        Assert.Contains("0.188 ± 0.12", summary);
        Assert.Contains("| distance per parameter |", summary);
        FigureFiles.AssertSvgAndPng(tmp.Path, LmcReport.FigureName);
        // Mean squared weight is convex in λ: every midpoint barrier is negative.
        Assert.All(result.Summaries, s => Assert.True(s.BarrierMean < 0));
        Assert.All(result.Summaries, s => Assert.Equal(2, s.Pairs));

        // A rerun skips every finished job; more pairs run only the new ones.
        var again = new LmcExperiment(Recipe(), tmp.Path).Run(task);
        Assert.Equal((0, 4), (again.Ran, again.Skipped));
        Assert.Equal(8, task.Trained);
        var more = new LmcExperiment(Recipe(pairs: 3), tmp.Path).Run(task);
        Assert.Equal((2, 4), (more.Ran, more.Skipped));
        Assert.Equal(1 + 3 * 3 * 5, File.ReadAllLines(Path.Combine(tmp.Path, LmcReport.ResultsFile)).Length);
        Assert.Equal(result.Pairs.Select(p => p.Curves[0].MidpointBarrier), more.Pairs.Where(p => p.Pair < 2).Select(p => p.Curves[0].MidpointBarrier));
    }

    [Fact]
    public void AVariantMissingFromAFinishedJobRerunsThatJob()
    {
        using var tmp = new TempDir();
        var task = new StandInTask();
        new LmcExperiment(Recipe(pairs: 1, variants: "standard"), tmp.Path).Run(task);
        Assert.Equal((2, 0), (task.Trained, task.Aligned));
        var r = new LmcExperiment(Recipe(pairs: 1, variants: "standard,rebasin"), tmp.Path).Run(task);
        Assert.Equal((4, 1), (task.Trained, task.Aligned));
        Assert.Equal(2, r.Pairs.Single().Curves.Count);
    }

    [Fact]
    public void AFolderOfAnotherRecipeIsRefused()
    {
        using var tmp = new TempDir();
        new LmcExperiment(Recipe(pairs: 1, variants: "w"), tmp.Path).Run(new StandInTask());
        var e = Assert.Throws<InvalidOperationException>(() => new LmcExperiment(Recipe(pairs: 1, variants: "w", epochs: 2), tmp.Path).Run(new StandInTask()));
        Assert.Contains("epochs: 1 there, 2 now", e.Message);
    }

    [Fact]
    public void DivergedNetworksAreRecordedNotThrown()
    {
        using var tmp = new TempDir();
        var recipe = Recipe(pairs: 2, variants: "w");
        var bad = LmcExperiment.DataSeed(recipe.Seed, 1, Variant.W, 0);
        var result = new LmcExperiment(recipe, tmp.Path).Run(new StandInTask(bad));
        var w = Assert.Single(result.Summaries);
        Assert.Equal((1, 1), (w.Pairs, w.DivergedPairs));
        Assert.Contains("loss NaN in epoch 1", File.ReadAllText(Path.Combine(tmp.Path, LmcReport.SummaryFile)));
        Assert.Contains("1,w,true", File.ReadAllText(Path.Combine(tmp.Path, LmcReport.BarriersFile)));
        // A diverged job is finished: a rerun does not train it again.
        Assert.Equal(0, new LmcExperiment(recipe, tmp.Path).Run(new StandInTask(bad)).Ran);
    }

    [Fact]
    public void SeedsDifferPerPairAndNetworkAndJobsComeInPairOrder()
    {
        var recipe = Recipe();
        Assert.NotEqual(LmcExperiment.ArchitectureSeed(0, 0), LmcExperiment.ArchitectureSeed(0, 1));
        Assert.NotEqual(LmcExperiment.InitSeed(0, 0, Variant.W, 0), LmcExperiment.InitSeed(0, 0, Variant.W, 1));
        Assert.NotEqual(LmcExperiment.DataSeed(0, 0, Variant.W, 0), LmcExperiment.DataSeed(0, 0, Variant.W, 1));
        var jobs = new LmcExperiment(recipe, "unused").Jobs();
        Assert.Equal(["pair 0 standard", "pair 0 w", "pair 1 standard", "pair 1 w"], jobs.Select(j => j.Name));
        Assert.Equal([LmcVariant.Standard, LmcVariant.Rebasin], jobs[0].Curves);
    }

    [Fact]
    public void RecipesFollowThePaperAtPaperScale()
    {
        var mlp = LmcRecipe.Resolve(new LmcConfig { Scale = LmcScale.Paper });
        Assert.Equal(("mnist", 25, 64, 5, 6000), (mlp.Dataset, mlp.Epochs, mlp.BatchSize, mlp.Pairs, mlp.ValidHoldout));
        Assert.Equal((1e-3, 0.03, LmcOptimizer.AdamW), (mlp.LearningRate, mlp.WeightDecay, mlp.Optimizer));
        var quick = LmcRecipe.Resolve(new LmcConfig());
        Assert.Equal(("mnist10k", 8, 64, 5, 0, 25), (quick.Dataset, quick.Epochs, quick.BatchSize, quick.Pairs, quick.ValidHoldout, quick.Points));
        var resnet = LmcRecipe.Resolve(new LmcConfig { Model = "resnet20", Scale = LmcScale.Paper });
        Assert.Equal((100, 128, 20), (resnet.Epochs, resnet.BatchSize, resnet.WarmupEpochs));
        Assert.Equal(1e-4, resnet.LearningRateAt(0, LmcVariant.Standard), 12);
        Assert.Equal(1e-2, resnet.LearningRateAt(20, LmcVariant.W), 12);
        Assert.Equal(1e-2, resnet.LearningRateAt(99, LmcVariant.Rebasin), 12);
        Assert.Equal(1e-3, resnet.LearningRateAt(30, LmcVariant.Sigma), 12);
        Assert.Equal(1e-4 * Math.Pow(100, 0.05), resnet.LearningRateAt(1, LmcVariant.Standard), 12);
        Assert.Equal(50, LmcRecipe.Resolve(new LmcConfig { Model = "resnet20x8", Scale = LmcScale.Paper }).Epochs);
        var gnn = LmcRecipe.Resolve(new LmcConfig { Model = "gnn", Scale = LmcScale.Paper });
        Assert.Equal(("ogbn-arxiv", 500, 0, LmcOptimizer.Adam), (gnn.Dataset, gnn.Epochs, gnn.BatchSize, gnn.Optimizer));
        Assert.Equal(4e-5, gnn.LearningRateAt(0, LmcVariant.Standard), 12);
        Assert.Equal(1e-3, gnn.LearningRateAt(24, LmcVariant.Standard), 12);
        // Fewer epochs truncate the per-epoch schedule rather than compressing it.
        var shortResNet = LmcRecipe.Resolve(new LmcConfig { Model = "resnet20", Scale = LmcScale.Paper, Epochs = 5 });
        Assert.Equal(20, shortResNet.WarmupEpochs);
        Assert.Equal(1e-4 * Math.Pow(100, 4 / 20.0), shortResNet.LearningRateAt(4, LmcVariant.W), 12);
        // The quick ResNet warms up for one of its 4 epochs from 3e-4 to 1e-3, at batch 32, flips without crops and pads
        // 28×28 images to 32×32; the paper's and the wide quick recipe keep the crops.
        var quickResNet = LmcRecipe.Resolve(new LmcConfig { Model = "resnet20", Dataset = "fashion-mnist" });
        Assert.Equal((4, 1, 32, 10_000, 1000, 2), (quickResNet.Epochs, quickResNet.WarmupEpochs, quickResNet.BatchSize, quickResNet.TrainSize, quickResNet.TestSize, quickResNet.Pad));
        Assert.Equal(3e-4, quickResNet.LearningRateAt(0, LmcVariant.W), 12);
        Assert.Equal(1e-3, quickResNet.LearningRateAt(1, LmcVariant.W), 12);
        Assert.Equal(1e-3, quickResNet.LearningRateAt(3, LmcVariant.Sigma), 12);
        Assert.Equal(("flip", "flip-crop", "flip-crop"), (quickResNet.Augmentation, resnet.Augmentation, LmcRecipe.Resolve(new LmcConfig { Model = "resnet20x8" }).Augmentation));
        Assert.Equal(0, LmcRecipe.Resolve(new LmcConfig { Model = "resnet20" }).Pad);
        Assert.Equal(0, quick.Pad);
        Assert.Equal(25, LmcRecipe.Resolve(new LmcConfig { Model = "gnn", Scale = LmcScale.Paper, Epochs = 100 }).WarmupEpochs);
        Assert.Throws<ArgumentException>(() => LmcRecipe.Resolve(new LmcConfig { Model = "vgg" }));
    }
}
