using System.Text.Json.Nodes;

namespace AsymNet.Experiments.Bench;

/// <summary>
/// One benchmark of <c>asym bench</c>: AsymNet's side runs in-process, PyTorch's side is a request to
/// bench/torch_bench.py. One call of either side is one repetition; the runner interleaves them.
/// </summary>
public interface IBenchWorkload
{
    /// <summary>Name for --only, e.g. "sgemm-512".</summary>
    string Name { get; }

    string Description { get; }

    /// <summary>Unit of <see cref="BenchSample.Value"/> (higher is better), e.g. "GFLOP/s", "samples/s".</summary>
    string Unit { get; }

    /// <summary>Null when AsymNet's side can run; else why not (the PyTorch side still runs).</summary>
    string? AsymUnavailable { get; }

    /// <summary>Whether AsymNet's side is also measured at one thread when the policy gives more (false where the
    /// workload fixes its own threads or runs single-threaded).</summary>
    bool TriesThreadSettings => true;

    /// <summary>One repetition of AsymNet's side.</summary>
    BenchSample RunAsym(BenchOptions options);

    /// <summary>
    /// The requests for one repetition of PyTorch's side, one per setting tried (e.g. torch threads 1 and 2); the
    /// runner reports the setting with the best median, as PyTorch's best on this machine.
    /// </summary>
    IReadOnlyList<JsonObject> TorchRequests(BenchOptions options);
}

/// <summary>
/// One repetition's result: the figure, the test accuracy for training workloads, the setting that ran (the same text
/// every repetition: medians are taken per setting) and measured details (e.g. "14 sweeps, 110 ms/matching").
/// </summary>
public sealed record BenchSample(double Value, double? Accuracy, string Setting, string? Detail = null);

/// <summary>Knobs shared by all workloads.</summary>
/// <param name="MinSeconds">Each timed repetition of a kernel-level workload runs at least this long.</param>
/// <param name="FashionMnistDir">Folder with the Fashion-MNIST IDX files (training workloads), or null.</param>
/// <param name="Data">Where datasets and caches live (the GNN workload's embedded graph), or null for the default.</param>
public sealed record BenchOptions(int Reps, double MinSeconds, string? FashionMnistDir, ulong Seed = 0, Data.DataPaths? Data = null);
