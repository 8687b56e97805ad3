using System.Text.Json.Nodes;
using AsymNet.NN.Models;
using AsymNet.Tensors;

namespace AsymNet.Experiments.Bench;

/// <summary>
/// Inference of the standard ResNet20 (GroupNorm, width 1) on synthetic 3×32×32 batches of 256 in evaluation mode
/// without autograd, in images/s, against the same network in torch under no_grad.
/// </summary>
public sealed class ResNetForwardWorkload(int depth, int batch, int steps) : IBenchWorkload
{
    private const int Warmup = 2;
    private SyntheticBatches? _data;

    public string Name => $"resnet{depth}-forward";
    public string Description => $"ResNet{depth} (GroupNorm, width 1) inference, batch {batch}, 3×32×32";
    public string Unit => "images/s";
    public string? AsymUnavailable => null;

    public BenchSample RunAsym(BenchOptions options)
    {
        var data = _data ??= new SyntheticBatches(batch, 2, options.Seed + 4);
        var model = ModelFactory.Create(ModelFactory.Preset($"resnet{depth}", "standard"), options.Seed);
        model.Eval();
        using var scope = new TensorScope();
        using var noGrad = GradMode.NoGrad();
        var seconds = StepTimer.Seconds(i =>
        {
            using var _ = scope.Enter();
            model.Forward(data[i].Images);
        }, Warmup, steps);
        return new BenchSample(steps * batch / seconds, null, BenchSetting.Describe());
    }

    public IReadOnlyList<JsonObject> TorchRequests(BenchOptions options) =>
        new[] { 1, Environment.ProcessorCount }.Distinct()
            .Select(t => new JsonObject
            {
                ["op"] = "resnet_forward", ["depth"] = depth, ["batch"] = batch, ["steps"] = steps, ["warmup"] = Warmup, ["threads"] = t,
                ["seed"] = (long)options.Seed,
            })
            .ToList();
}
