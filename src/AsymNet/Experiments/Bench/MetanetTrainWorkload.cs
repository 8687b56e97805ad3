using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using AsymNet.Experiments.Metanet;
using AsymNet.NN.Models;
using AsymNet.NN.Optim;
using AsymNet.NN.Training;
using AsymNet.Tensors;

namespace AsymNet.Experiments.Bench;

/// <summary>
/// Metanet training (`asym metanet`'s step): the paper's MLP or DMC on a synthetic zoo of <see cref="Networks"/>
/// standard ResNet8s (78,042 numbers each, N(0, 0.05²), targets U(0, 1)), batch 128, AdamW lr 1e-3 weight decay 0.01,
/// MSE, through <see cref="Trainer.Step{TBatch}"/> with <see cref="AccuracyRegression"/> (the step `asym metanet` takes); networks/s over <c>steps</c> timed batches after one warm-up
/// batch, and the time of one epoch over the zoo it implies. PyTorch trains the same network on the same shapes.
/// </summary>
public sealed class MetanetTrainWorkload(MetanetKind kind, int steps) : IBenchWorkload
{
    public const int Networks = 1000;
    public const int Inputs = 78_042;
    public const int Batch = 128;
    private NetworkBatch[]? _batches;

    public string Name => $"metanet-{MetanetPresets.Name(kind)}";
    public string Description => $"Metanet {MetanetPresets.Name(kind).ToUpperInvariant()} training on a synthetic zoo of {Networks} ResNet8s (78,042 inputs, batch {Batch}, AdamW), networks/s";
    public string Unit => "networks/s";
    public string? AsymUnavailable => null;

    public BenchSample RunAsym(BenchOptions options)
    {
        _batches ??= Enumerable.Range(0, (Networks + Batch - 1) / Batch).Select(b =>
        {
            var rng = Rng.ForKey(options.Seed, $"bench/metanet/{b}");
            var x = Tensor.Persistent(Batch, Inputs);
            rng.FillNormal(x.Span, 0f, 0.05f);
            var y = Tensor.Persistent(Batch, 1);
            rng.FillUniform(y.Span, 0f, 1f);
            return new NetworkBatch(x, y);
        }).ToArray();
        var model = ModelFactory.Create(MetanetPresets.Config(kind, Inputs, 29), options.Seed);
        var trainer = new Trainer(model, new AdamW(OptimParameter.From(model), 1e-3, weightDecay: 0.01), new TrainOptions { LearningRate = 1e-3 });
        trainer.Step(AccuracyRegression.Instance, _batches[0]);
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < steps; i++) trainer.Step(AccuracyRegression.Instance, _batches[(i + 1) % _batches.Length]);
        var perSecond = steps * Batch / clock.Elapsed.TotalSeconds;
        return new BenchSample(perSecond, null, BenchSetting.Describe(), string.Create(CultureInfo.InvariantCulture, $"one epoch of {Networks} networks ≈ {Networks / perSecond:0.0} s"));
    }

    public IReadOnlyList<JsonObject> TorchRequests(BenchOptions options) =>
    [
        .. new[] { 1, Environment.ProcessorCount }.Distinct().Select(threads => new JsonObject
        {
            ["op"] = "metanet_train", ["metanet"] = MetanetPresets.Name(kind), ["inputs"] = Inputs, ["batch"] = Batch, ["steps"] = steps,
            ["lr"] = 1e-3, ["weight_decay"] = 0.01, ["threads"] = threads, ["seed"] = (long)options.Seed,
        }),
    ];
}
