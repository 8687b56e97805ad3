using System.Text.Json.Nodes;
using AsymNet.NN.Models;
using AsymNet.NN.Optim;
using AsymNet.NN.Training;

namespace AsymNet.Experiments.Bench;

/// <summary>
/// Training steps of a standard CIFAR ResNet with GroupNorm(1, C), width 1, on synthetic 3×32×32 batches, in images/s:
/// ResNet20 (the paper's LMC ResNet) at batch 128 with SGD (lr 0.05, momentum 0.9), and ResNet8 (the model-zoo network,
/// 78,042 parameters) at batch 512 with AdamW (lr 1e-3, weight decay 0.01). AsymNet's side is
/// <see cref="Trainer.TrainStep"/>, what `asym train` runs per batch; PyTorch's side the same network in torch
/// (bench/torch_bench.py), at 1 and at every core's worth of torch threads, the better reported.
/// </summary>
public sealed class ResNetTrainWorkload(int depth, int batch, string optimizer, int steps) : IBenchWorkload
{
    private const int Warmup = 2;
    private SyntheticBatches? _data;

    public string Name => $"resnet{depth}-train";
    public string Description => $"ResNet{depth} (GroupNorm, width 1) training, batch {batch}, {(Sgd ? "SGD momentum" : "AdamW")}, 3×32×32";
    public string Unit => "images/s";
    public string? AsymUnavailable => null;

    private bool Sgd => optimizer == "sgd";
    private double LearningRate => Sgd ? 0.05 : 1e-3;

    public BenchSample RunAsym(BenchOptions options)
    {
        var data = _data ??= new SyntheticBatches(batch, 4, options.Seed + 3);
        var model = ModelFactory.Create(ModelFactory.Preset($"resnet{depth}", "standard"), options.Seed);
        var parameters = OptimParameter.From(model);
        Optimizer opt = Sgd ? new Sgd(parameters, LearningRate, momentum: 0.9) : new AdamW(parameters, LearningRate, weightDecay: 0.01);
        var trainer = new Trainer(model, opt, new TrainOptions { LearningRate = LearningRate });
        model.Train();
        var seconds = StepTimer.Seconds(i =>
        {
            var (images, labels) = data[i];
            trainer.TrainStep(images, labels);
        }, Warmup, steps);
        return new BenchSample(steps * batch / seconds, null, BenchSetting.Describe());
    }

    public IReadOnlyList<JsonObject> TorchRequests(BenchOptions options) =>
        new[] { 1, Environment.ProcessorCount }.Distinct()
            .Select(t => new JsonObject
            {
                ["op"] = "resnet_train", ["depth"] = depth, ["batch"] = batch, ["optimizer"] = optimizer, ["lr"] = LearningRate,
                ["weight_decay"] = 0.01, ["momentum"] = 0.9, ["steps"] = steps, ["warmup"] = Warmup, ["threads"] = t, ["seed"] = (long)options.Seed,
            })
            .ToList();
}
