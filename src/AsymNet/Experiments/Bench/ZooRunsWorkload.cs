using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using AsymNet.Experiments.Runs;
using AsymNet.Experiments.Zoo;
using AsymNet.NN.Models;
using AsymNet.NN.Training;

namespace AsymNet.Experiments.Bench;

/// <summary>
/// Model-zoo throughput in networks per hour for a zoo recipe, as <c>asym --threads runs zoo</c> trains it: one network
/// per core side by side with single-threaded BLAS (<see cref="IndependentRuns"/>), each the zoo's own ResNet8 config
/// (<see cref="ZooNetworks.Config"/>, the recipe's padded input shape), the zoo's trainer (<see cref="ZooNetworks.NewTrainer"/>:
/// AdamW, triangular lr per step, label smoothing) at the middle of the hyperparameter ranges, and the recipe's batch.
/// Every run trains each of the recipe's variants in turn (standard and W-Asym by default), as a zoo thread takes the
/// row-by-row job list. A network is the recipe's mean epochs × steps per epoch × batch images
/// (<see cref="ImagesPerNetwork"/>). Synthetic batches replace the loader: augmentation, the final evaluations and the
/// checkpoint files are excluded on both sides. PyTorch trains the same networks (the authors' sparse layers for W-Asym)
/// one at a time at 1 and at every core's worth of torch threads, and as one spawned process per core; its best counts.
/// </summary>
public sealed class ZooRunsWorkload(ZooScale scale, int stepsPerRun) : IBenchWorkload
{
    private const int Warmup = 2;
    private readonly ZooRecipe _recipe = ZooRecipe.Resolve(scale);
    private SyntheticBatches? _data;

    public string Name => scale == ZooScale.Quick ? "resnet8-zoo" : "resnet8-zoo-paper";

    public string Description => string.Create(CultureInfo.InvariantCulture,
        $"{scale.ToString().ToLowerInvariant()} zoo recipe: ResNet8 {string.Join(" + ", _recipe.Variants.Select(VariantName))} on {InputText}, batch {_recipe.BatchSize}, " +
        $"AdamW, {Parallel} side by side (1 BLAS thread each); networks/hour at {_recipe.Ranges.MeanEpochs()} epochs × {_recipe.StepsPerEpoch} steps");

    public string Unit => "networks/hour";
    public string? AsymUnavailable => null;
    public bool TriesThreadSettings => false;

    /// <summary>Training images of a mean network: mean epochs × steps per epoch (drop-last) × batch.</summary>
    public double ImagesPerNetwork => _recipe.Ranges.MeanEpochs() * _recipe.StepsPerEpoch * _recipe.BatchSize;

    private static int Parallel => Environment.ProcessorCount;
    private DatasetShape Shape => _recipe.Shape();
    private string InputText => string.Join("×", Shape.InputShape);
    private ZooHyperparameters Hyperparameters => ZooHyperparameters.Middle(_recipe.Ranges);

    private static string VariantName(Variant v) => v.ToString().ToLowerInvariant();

    public BenchSample RunAsym(BenchOptions options)
    {
        var input = Shape.InputShape;
        var data = _data ??= new SyntheticBatches(_recipe.BatchSize, 4, options.Seed + 5, input[0], input[1], input[2], Shape.Classes);
        var start = new Barrier(Parallel);
        var seconds = new double[Parallel];
        IndependentRuns.Run(Parallel, Parallel, run =>
        {
            var trainers = _recipe.Variants.Select(v =>
                ZooNetworks.NewTrainer(ModelFactory.Create(ZooNetworks.Config(_recipe, Shape, v), options.Seed + (ulong)run), _recipe, Hyperparameters)).ToList();
            foreach (var t in trainers)
                for (var i = 0; i < Warmup; i++) Step(t, data, run, i);
            start.SignalAndWait();
            var clock = Stopwatch.StartNew();
            foreach (var t in trainers)
                for (var i = Warmup; i < Warmup + stepsPerRun; i++) Step(t, data, run, i);
            seconds[run] = clock.Elapsed.TotalSeconds;
        });
        var imagesPerSecond = (double)Parallel * _recipe.Variants.Count * stepsPerRun * _recipe.BatchSize / seconds.Max();
        return new BenchSample(3600 * imagesPerSecond / ImagesPerNetwork, null, $"{Parallel} runs × 1 BLAS thread",
            string.Create(CultureInfo.InvariantCulture, $"{imagesPerSecond:F0} images/s"));
    }

    /// <summary>Global step <paramref name="i"/> of a network, at the learning rate <see cref="Trainer.Fit"/> would set.
    /// A non-finite loss would skip the backward pass and flatter the timing, so it stops the workload.</summary>
    private void Step(Trainer trainer, SyntheticBatches data, int run, int i)
    {
        var steps = _recipe.StepsPerEpoch;
        trainer.Optimizer.LearningRate = trainer.Options.LearningRate * trainer.Options.Schedule.Factor(i / steps, i % steps, steps);
        var (images, labels) = data[run + i];
        var (loss, _) = trainer.TrainStep(images, labels);
        if (!float.IsFinite(loss)) throw new InvalidOperationException($"{Name}: the loss became {loss} at step {i + 1} on synthetic data.");
    }

    public IReadOnlyList<JsonObject> TorchRequests(BenchOptions options)
    {
        var h = Hyperparameters;
        JsonObject Request(string op, int threads) => new()
        {
            ["op"] = op, ["depth"] = 8, ["in_channels"] = Shape.InputShape[0], ["size"] = Shape.InputShape[1], ["classes"] = Shape.Classes,
            ["variants"] = new JsonArray([.. _recipe.Variants.Select(v => (JsonNode)VariantName(v))]),
            ["batch"] = _recipe.BatchSize, ["optimizer"] = "adamw", ["lr"] = h.LearningRate, ["weight_decay"] = h.WeightDecay,
            ["label_smoothing"] = h.LabelSmoothing, ["epochs"] = h.Epochs, ["peak_epoch"] = _recipe.PeakEpoch, ["steps_per_epoch"] = _recipe.StepsPerEpoch,
            ["steps"] = stepsPerRun, ["warmup"] = Warmup, ["threads"] = threads, ["runs"] = Parallel, ["seed"] = (long)options.Seed,
            ["images_per_network"] = ImagesPerNetwork,
        };
        return [Request("resnet_zoo", 1), Request("resnet_zoo", Parallel), Request("resnet_zoo_runs", 1)];
    }
}
