using System.Text.Json.Nodes;

namespace AsymNet.Experiments.Bench;

/// <summary>
/// MLP-4 training: 784→512→512→512→10, LayerNorm after each hidden linear, GELU, Adam lr 1e-3, batch 64, one epoch
/// of the 60,000 Fashion-MNIST training images normalised with mean 0.2860 / std 0.3530; samples/s of training and
/// test accuracy after the epoch. PyTorch at torch.set_num_threads(1) with OpenBLAS at its default threads and
/// OPENBLAS_CORETYPE unset (its best setting on this machine, issue 2).
/// </summary>
public sealed class Mlp4Workload : IBenchWorkload
{
    public string Name => "mlp4";
    public string Description => "MLP-4 (784-512-512-512-10, LayerNorm, GELU, Adam) one Fashion-MNIST epoch";
    public string Unit => "samples/s";

    // AsymNet's side needs the trainer (Adam, data loader, training loop) that is being built on another branch.
    public string? AsymUnavailable => "needs AsymNet training (trainer not on main yet)";

    public BenchSample RunAsym(BenchOptions options) => throw new NotSupportedException($"{Name}: {AsymUnavailable}.");

    public IReadOnlyList<JsonObject> TorchRequests(BenchOptions options) =>
    [
        new JsonObject
        {
            ["op"] = "mlp4",
            ["data_dir"] = options.FashionMnistDir ?? throw new InvalidOperationException($"{Name}: Fashion-MNIST was not found."),
            ["threads"] = 1, ["seed"] = (long)options.Seed, ["batch"] = 64, ["epochs"] = 1, ["lr"] = 1e-3,
        },
    ];
}
