using System.Text.Json.Nodes;
using AsymNet.Data;
using AsymNet.Experiments.Training;
using AsymNet.NN.Models;

namespace AsymNet.Experiments.Bench;

/// <summary>
/// MLP-4 training: 784→512→512→512→10, LayerNorm after each hidden linear, GELU, batch 64, one epoch of the 60,000
/// Fashion-MNIST training images normalised with mean 0.2860 / std 0.3530; samples/s of training (evaluation
/// excluded) and test accuracy after the epoch. Standard: Adam lr 1e-3, exactly `asym demo` (issue 2). W-Asym: the
/// paper's Table 5 network (nfix 64/64/64/256, κ 1/1/½/¼) with its optimizer, AdamW lr 1e-3 weight decay 0.03.
/// AsymNet's side is <see cref="TrainExperiment.Fit"/>, the code `asym train` and `asym demo` run. PyTorch at
/// torch.set_num_threads(1) with OpenBLAS at its default threads and AsymNet's OPENBLAS_CORETYPE (issue 2,
/// docs/compute.md); its W-Asym layer is the authors' lmc SparseLinear (weight overwritten with M⊙W + (1−M)⊙κF before
/// each forward, gradient masked by a hook).
/// </summary>
public sealed class Mlp4Workload(string variant = "standard") : IBenchWorkload
{
    private (ImageDataset Train, ImageDataset Test)? _data;

    private bool WAsym => variant == "w";

    public string Name => WAsym ? "mlp4-wasym" : "mlp4";

    public string Description => WAsym
        ? "W-Asym MLP-4 (Table 5 masks, AdamW wd 0.03) one Fashion-MNIST epoch"
        : "MLP-4 (784-512-512-512-10, LayerNorm, GELU, Adam) one Fashion-MNIST epoch";

    public string Unit => "samples/s";
    public string? AsymUnavailable => null;

    /// <summary>The training configuration both sides run.</summary>
    public TrainConfig Config(BenchOptions options) => WAsym
        ? TrainConfig.Demo("w", options.Seed) with { Optimizer = "adamw", WeightDecay = 0.03 }
        : TrainConfig.Demo("standard", options.Seed);

    public BenchSample RunAsym(BenchOptions options)
    {
        var dir = options.FashionMnistDir ?? throw new InvalidOperationException($"{Name}: Fashion-MNIST was not found.");
        var (train, test) = _data ??= MnistFolder.Load(dir, "fashion-mnist", NormalizationStats.FashionMnist);
        var config = Config(options);
        var modelConfig = ModelFactory.Preset(config.Model, config.Variant, TrainExperiment.ShapeOf(config.Dataset), config.ArchSeed);
        var (_, result) = TrainExperiment.Fit(config, modelConfig, train, test, TrainExperiment.Seeds(config));
        return new BenchSample(result.SamplesPerSecond, result.Last?.TestAccuracy, BenchSetting.Describe());
    }

    public IReadOnlyList<JsonObject> TorchRequests(BenchOptions options)
    {
        var config = Config(options);
        return
        [
            new JsonObject
            {
                ["op"] = "mlp4",
                ["data_dir"] = options.FashionMnistDir ?? throw new InvalidOperationException($"{Name}: Fashion-MNIST was not found."),
                ["threads"] = 1, ["seed"] = (long)options.Seed, ["batch"] = config.BatchSize, ["epochs"] = config.Epochs,
                ["lr"] = config.LearningRate, ["variant"] = config.Variant, ["optimizer"] = config.Optimizer,
                ["weight_decay"] = config.WeightDecay ?? 0.0,
            },
        ];
    }
}
