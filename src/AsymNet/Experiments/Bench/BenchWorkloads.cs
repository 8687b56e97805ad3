using AsymNet.Experiments.Zoo;
using AsymNet.NN.Models;

namespace AsymNet.Experiments.Bench;

/// <summary>The workloads of <c>asym bench</c>, in the order they run and print.</summary>
public static class BenchWorkloads
{
    public static IReadOnlyList<IBenchWorkload> All() =>
    [
        new SgemmWorkload(512, 512, 512),
        new SgemmWorkload(2048, 2048, 2048),
        new SgemmWorkload(64, 512, 512),
        new Conv2dWorkload(128, 16, 16, 32, 1),
        new Conv2dWorkload(128, 16, 32, 32, 2),
        new Mlp4Workload(),
        new Mlp4Workload("w"),
        new BnnMlpWorkload(),
        // Several seconds per timed repetition on each side: this machine's speed drifts in phases of seconds.
        new ResNetTrainWorkload(20, 128, "sgd", steps: 32),
        new ResNetForwardWorkload(20, 256, steps: 24),
        new ResNetTrainWorkload(8, 512, "adamw", steps: 16),
        // Per run and variant: one epoch of the quick recipe (16 steps of 128); 4 steps of 512 for the paper's.
        new ZooRunsWorkload(ZooScale.Quick, stepsPerRun: 16),
        new ZooRunsWorkload(ZooScale.Paper, stepsPerRun: 4),
        new GnnEpochWorkload(epochs: 10),
        new MetanetTrainWorkload(MetanetKind.Mlp, steps: 8),
        new MetanetTrainWorkload(MetanetKind.Dmc, steps: 1),
        new LapWorkload(512),
        new RebasinWorkload(),
    ];

    /// <summary>The workloads named in a comma-separated list (all when null or empty).</summary>
    /// <exception cref="ArgumentException">A name is unknown; the message lists the known ones.</exception>
    public static IReadOnlyList<IBenchWorkload> Select(string? only)
    {
        var all = All();
        if (string.IsNullOrWhiteSpace(only)) return all;
        var names = only.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var unknown = names.Where(n => all.All(w => w.Name != n)).ToList();
        if (unknown.Count > 0)
            throw new ArgumentException($"Unknown workload(s) {string.Join(", ", unknown)}; known: {string.Join(", ", all.Select(w => w.Name))}.");
        return all.Where(w => names.Contains(w.Name)).ToList();
    }
}
