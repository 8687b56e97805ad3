using System.Diagnostics;
using System.Text.Json.Nodes;
using AsymNet.Bayes;
using AsymNet.Data;
using AsymNet.Experiments.Bnn;
using AsymNet.NN.Models;
using AsymNet.Tensors;

namespace AsymNet.Experiments.Bench;

/// <summary>
/// BNN MLP-8 training (asym bnn): 9 ELRG linears (width 256, LayerNorm, ReLU, rank 4, fixed log s −10, prior precision
/// 0.01), Adam 5e-4, ELBO = NLL + KL/N with N = 4 × 60,000, batch 250, one epoch of the 60,000 Fashion-MNIST training
/// images (784 inputs: no CIFAR here); samples/s of training and the accuracy of one posterior sample afterwards.
/// AsymNet's side is the experiment's trainer; PyTorch's is the same ELRG layer written in torch (bench/torch_bench.py,
/// bnn_mlp), torch.set_num_threads(1) as the other training workloads.
/// </summary>
public sealed class BnnMlpWorkload : IBenchWorkload
{
    private const int Batch = 250;
    private (ImageDataset Train, ImageDataset Test)? _data;

    private static BnnModelRecipe Spec => BnnRecipe.Resolve(new BnnConfig { Models = ["mlp8"] }).Models[0];

    public string Name => "bnn-mlp8";
    public string Description => "BNN MLP-8 (ELRG rank 4, width 256, LayerNorm, ReLU, Adam) one Fashion-MNIST epoch, batch 250";
    public string Unit => "samples/s";
    public string? AsymUnavailable => null;

    public BenchSample RunAsym(BenchOptions options)
    {
        var dir = options.FashionMnistDir ?? throw new InvalidOperationException($"{Name}: Fashion-MNIST was not found.");
        var (train, test) = _data ??= MnistFolder.Load(dir, "fashion-mnist", NormalizationStats.FashionMnist);
        var spec = Spec;
        var config = ModelPresets.Get(spec.Preset, Variant.Standard, DatasetShape.FashionMnist, options.Seed);
        var net = new VariationalNetwork(ModelFactory.Create(config, options.Seed), spec.Posterior, options.Seed, new Rng(options.Seed));
        var trainer = BnnExperiment.Trainer(net, spec, 4L * train.Count, 1);
        using var loader = new ImageLoader(train, new LoaderOptions { BatchSize = Batch }, new Rng(options.Seed));
        var clock = Stopwatch.StartNew();
        var result = trainer.Fit(loader);
        var seconds = clock.Elapsed.TotalSeconds;
        using var testLoader = new ImageLoader(test, LoaderOptions.Eval(1000), new Rng(0));
        var accuracy = Predictive.Evaluate(net, testLoader, 10, samples: 1)!.Metrics().Accuracy;
        return new BenchSample(result.Epochs.Sum(e => e.Samples) / seconds, accuracy, BenchSetting.Describe());
    }

    public IReadOnlyList<JsonObject> TorchRequests(BenchOptions options)
    {
        var spec = Spec;
        return
        [
            new JsonObject
            {
                ["op"] = "bnn_mlp",
                ["data_dir"] = options.FashionMnistDir ?? throw new InvalidOperationException($"{Name}: Fashion-MNIST was not found."),
                ["threads"] = 1, ["seed"] = (long)options.Seed, ["linears"] = 9, ["rank"] = spec.Posterior.Rank,
                ["log_s"] = spec.Posterior.InitLogVariance, ["prior_precision"] = spec.Posterior.PriorPrecision, ["lr"] = spec.LearningRate,
                ["batch"] = Batch, ["kl_count"] = 4 * 60_000,
            },
        ];
    }
}
