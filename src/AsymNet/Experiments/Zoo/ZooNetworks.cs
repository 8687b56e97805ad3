using System.Diagnostics;
using System.Globalization;
using AsymNet.NN.Checkpoints;
using AsymNet.NN.Models;
using AsymNet.NN.Optim;
using AsymNet.NN.Optim.Schedules;
using AsymNet.NN.Training;
using AsymNet.Tensors;

namespace AsymNet.Experiments.Zoo;

/// <summary>A network as trained by <see cref="ZooNetworks.Train"/>: its result, θ₀ and θ_T (null when it diverged).</summary>
public sealed record ZooTrainedNetwork(ZooNetworkResult Result, Model Init, Model? Trained);

/// <summary>
/// Trains one zoo network (the job of <c>asym zoo</c> and of <c>asym mli</c>): the ResNet8 of its variant built from
/// the zoo's architecture seed and its own init seed, θ₀ saved before the first step, AdamW with the row's lr and
/// weight decay on a per-step triangular schedule, the row's label smoothing, through the one <see cref="Trainer"/>.
/// A non-finite loss, weight or evaluation marks the network diverged: recorded, no θ_T file written.
/// </summary>
public static class ZooNetworks
{
    public static ulong ArchitectureSeed(ulong zooSeed) => Rng.ForKey(zooSeed, "zoo/architecture").NextUInt64();

    public static ulong NetworkSeed(ulong zooSeed, ZooJob job) =>
        Rng.ForKey(zooSeed, string.Create(CultureInfo.InvariantCulture, $"zoo/{job.VariantName}/{job.Index}")).NextUInt64();

    public static ulong InitSeed(ulong networkSeed) => Rng.ForKey(networkSeed, "init").NextUInt64();
    public static ulong DataSeed(ulong networkSeed) => Rng.ForKey(networkSeed, "data").NextUInt64();

    public static ModelConfig Config(ZooRecipe recipe, DatasetShape shape, Variant variant) =>
        ModelPresets.Get(ZooRecipe.Model, variant, shape, ArchitectureSeed(recipe.Seed));

    public static ZooTrainedNetwork Train(ZooData data, ZooFolder folder, ZooJob job, Action<EpochMetrics>? onEpoch = null, CancellationToken cancel = default)
    {
        var clock = Stopwatch.StartNew();
        var recipe = data.Recipe;
        var h = ZooHyperparameters.Row(recipe.Seed, job.Index, recipe.Ranges);
        var seed = NetworkSeed(recipe.Seed, job);
        var (initSeed, dataSeed) = (InitSeed(seed), DataSeed(seed));
        var config = Config(recipe, data.Shape, job.Variant);
        var init = ModelFactory.Create(config, initSeed);
        Checkpoint.Save(folder.InitPath(job.Variant, job.Index), init, Metadata(recipe, job, h, seed, initSeed, dataSeed, "init", null));

        var model = ModelFactory.Create(config, initSeed);
        var trainer = NewTrainer(model, recipe, h);
        TrainResult fit;
        using (var loader = data.TrainLoader(dataSeed)) fit = trainer.Fit(loader, null, null, onEpoch, cancel);
        cancel.ThrowIfCancellationRequested();

        var reason = fit.Status == TrainStatus.Diverged ? fit.Message : AllFinite(model) ? null : "a weight is not finite after training";
        EvalResult? train = null, test = null;
        if (reason is null)
        {
            train = data.TrainLoss(model, (float)h.LabelSmoothing, cancel);
            test = data.Test(model, cancel);
            if (!double.IsFinite(train.Loss) || !double.IsFinite(test.Loss)) reason = "the evaluated loss is not finite";
        }
        var result = new ZooNetworkResult
        {
            Index = job.Index, Variant = job.Variant, Seed = seed, InitSeed = initSeed, DataSeed = dataSeed, Hyperparameters = h,
            TrainLoss = reason is null ? train!.Loss : double.NaN, TrainAccuracy = reason is null ? train!.Accuracy : double.NaN,
            TestLoss = reason is null ? test!.Loss : double.NaN, TestAccuracy = reason is null ? test!.Accuracy : double.NaN,
            Diverged = reason is not null, DivergenceReason = reason, Seconds = clock.Elapsed.TotalSeconds,
        };
        if (reason is not null) return new ZooTrainedNetwork(result, init, null);
        Checkpoint.Save(folder.TrainedPath(job.Variant, job.Index), model, Metadata(recipe, job, h, seed, initSeed, dataSeed, "trained", result));
        return new ZooTrainedNetwork(result, init, model);
    }

    /// <summary>The zoo's trainer for a network of row <paramref name="h"/>: AdamW with the row's lr and weight decay, the
    /// triangular schedule per step, the row's label smoothing (also what the resnet8-zoo bench workload steps).</summary>
    public static Trainer NewTrainer(Model model, ZooRecipe recipe, ZooHyperparameters h) =>
        new(model, new AdamW(OptimParameter.From(model), h.LearningRate, weightDecay: h.WeightDecay),
            new TrainOptions
            {
                Epochs = h.Epochs, LearningRate = h.LearningRate, LabelSmoothing = (float)h.LabelSmoothing,
                Schedule = new TriangularLr(recipe.PeakEpoch, h.Epochs),
            });

    private static bool AllFinite(Model model)
    {
        foreach (var (_, t) in model.StateDict())
            foreach (var v in t.Span)
                if (!float.IsFinite(v)) return false;
        return true;
    }

    private static Dictionary<string, string> Metadata(ZooRecipe recipe, ZooJob job, ZooHyperparameters h, ulong seed, ulong initSeed, ulong dataSeed,
        string state, ZooNetworkResult? result)
    {
        var ci = CultureInfo.InvariantCulture;
        var meta = new Dictionary<string, string>
        {
            ["experiment"] = "zoo", ["state"] = state, ["dataset"] = recipe.Dataset,
            ["index"] = job.Index.ToString(ci), ["variant"] = job.VariantName,
            ["seed"] = seed.ToString(ci), ["init_seed"] = initSeed.ToString(ci), ["data_seed"] = dataSeed.ToString(ci),
            ["lr"] = h.LearningRate.ToString("R", ci), ["weight_decay"] = h.WeightDecay.ToString("R", ci),
            ["label_smoothing"] = h.LabelSmoothing.ToString("R", ci), ["epochs"] = h.Epochs.ToString(ci),
        };
        if (result is not null)
        {
            meta["test_accuracy"] = result.TestAccuracy.ToString("R", ci);
            meta["test_loss"] = result.TestLoss.ToString("R", ci);
        }
        return meta;
    }
}
