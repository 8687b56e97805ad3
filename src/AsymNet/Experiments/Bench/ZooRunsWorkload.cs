using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using AsymNet.Experiments.Runs;
using AsymNet.NN.Models;
using AsymNet.NN.Optim;
using AsymNet.NN.Training;

namespace AsymNet.Experiments.Bench;

/// <summary>
/// Model-zoo throughput in networks per hour: independent ResNet8s (the metanet zoo network, batch 512, AdamW) trained
/// side by side, one per core with single-threaded BLAS (<see cref="IndependentRuns"/>, policy runs), on synthetic
/// batches. A zoo network is the authors' recipe on CIFAR-10: 97 steps of 512 per epoch and on average 25 epochs
/// (their epochs are uniform on 10..40), i.e. <see cref="ImagesPerNetwork"/> training images; evaluation is not
/// counted. PyTorch runs the same network alone at 1 and 2 torch threads, and as one network per core in separate
/// processes (torch.multiprocessing, spawned); its best is reported.
/// </summary>
public sealed class ZooRunsWorkload(int stepsPerRun) : IBenchWorkload
{
    public const int Batch = 512;
    public const long ImagesPerNetwork = 25L * 97 * Batch;
    private const int Warmup = 2;
    private SyntheticBatches? _data;

    public string Name => "resnet8-zoo";
    public string Description => $"ResNet8 zoo networks trained side by side ({Parallel} at once, 1 BLAS thread each), networks/hour at 25 epochs of CIFAR-10";
    public string Unit => "networks/hour";
    public string? AsymUnavailable => null;
    public bool TriesThreadSettings => false;

    private static int Parallel => Environment.ProcessorCount;

    public BenchSample RunAsym(BenchOptions options)
    {
        var data = _data ??= new SyntheticBatches(Batch, 4, options.Seed + 5);
        var start = new Barrier(Parallel);
        var seconds = new double[Parallel];
        IndependentRuns.Run(Parallel, Parallel, run =>
        {
            var model = ModelFactory.Create(ModelFactory.Preset("resnet8", "standard"), options.Seed + (ulong)run);
            var trainer = new Trainer(model, new AdamW(OptimParameter.From(model), 1e-3, weightDecay: 0.01), new TrainOptions { LearningRate = 1e-3 });
            for (var i = 0; i < Warmup; i++) trainer.TrainStep(data[i].Images, data[i].Labels);
            start.SignalAndWait();
            var clock = Stopwatch.StartNew();
            for (var i = 0; i < stepsPerRun; i++) trainer.TrainStep(data[run + i].Images, data[run + i].Labels);
            seconds[run] = clock.Elapsed.TotalSeconds;
        });
        var imagesPerSecond = (double)Parallel * stepsPerRun * Batch / seconds.Max();
        return new BenchSample(3600 * imagesPerSecond / ImagesPerNetwork, null, $"{Parallel} runs × 1 BLAS thread",
            string.Create(CultureInfo.InvariantCulture, $"{imagesPerSecond:F0} images/s"));
    }

    public IReadOnlyList<JsonObject> TorchRequests(BenchOptions options)
    {
        JsonObject Request(string op, int threads) => new()
        {
            ["op"] = op, ["depth"] = 8, ["batch"] = Batch, ["optimizer"] = "adamw", ["lr"] = 1e-3, ["weight_decay"] = 0.01,
            ["steps"] = stepsPerRun, ["warmup"] = Warmup, ["threads"] = threads, ["runs"] = Parallel, ["seed"] = (long)options.Seed,
            ["images_per_network"] = ImagesPerNetwork,
        };
        return [Request("resnet_zoo", 1), Request("resnet_zoo", Parallel), Request("resnet_zoo_runs", 1)];
    }
}
