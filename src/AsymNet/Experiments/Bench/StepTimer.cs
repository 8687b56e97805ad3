using System.Diagnostics;

namespace AsymNet.Experiments.Bench;

/// <summary>Times a fixed number of steps after a few untimed warm-up steps (JIT, pooled buffers, BLAS threads).</summary>
public static class StepTimer
{
    /// <summary>Seconds taken by steps warmup .. warmup + steps − 1; <paramref name="step"/> gets the step index.</summary>
    public static double Seconds(Action<int> step, int warmup, int steps)
    {
        for (var i = 0; i < warmup; i++) step(i);
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < steps; i++) step(warmup + i);
        return clock.Elapsed.TotalSeconds;
    }
}
