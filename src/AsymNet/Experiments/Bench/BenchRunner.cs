using System.Text.Json.Nodes;
using AsymNet.Tensors;
using AsymNet.Tensors.Gemm;

namespace AsymNet.Experiments.Bench;

/// <summary>
/// Runs the workloads' AsymNet and PyTorch sides interleaved (repetition by repetition, alternating which side goes
/// first) so that both see the same machine state, then summarises medians and ratios.
/// </summary>
public static class BenchRunner
{
    // OpenBLAS worker threads keep spinning for ~0.1 s after a call; a pause keeps one side's spinning threads from
    // stealing the core the other side is measured on.
    private static readonly TimeSpan Settle = TimeSpan.FromMilliseconds(250);

    public static BenchReport Run(IReadOnlyList<IBenchWorkload> workloads, BenchOptions options, TorchBench? torch,
        string? torchUnavailable, IProgress<string>? progress = null)
    {
        var observations = new List<BenchObservation>();
        var torchErrors = new Dictionary<string, string>();
        for (var rep = 1; rep <= options.Reps; rep++)
        {
            foreach (var w in workloads)
            {
                var asymFirst = rep % 2 == 1;
                for (var side = 0; side < 2; side++)
                {
                    if ((side == 0) == asymFirst) RunAsym(w, options, rep, observations);
                    else if (torch is not null && !torchErrors.ContainsKey(w.Name)) RunTorch(w, options, rep, torch, observations, torchErrors);
                    Thread.Sleep(Settle);
                }
                progress?.Report($"rep {rep}/{options.Reps} {w.Name}: " + string.Join(", ",
                    observations.Where(o => o.Workload == w.Name && o.Rep == rep).Select(o => $"{o.Side} {o.Value:F1} {o.Unit} ({o.Setting}{(o.Detail is null ? "" : "; " + o.Detail)})")));
            }
        }
        var rows = workloads.Select(w => Summarise(w, observations, torch is null ? torchUnavailable : torchErrors.GetValueOrDefault(w.Name))).ToList();
        return new BenchReport(ComputeEnvironment.Capture(), torch?.Info, torchUnavailable, options.Reps, options.MinSeconds, rows, observations);
    }

    /// <summary>
    /// AsymNet's side at the policy's thread count and, when that is more than one and the workload is sensitive to it,
    /// at one thread too (as PyTorch is tried at its settings): AsymNet's results do not depend on the thread count, so
    /// the faster setting is the one a user would pick, with --threads. The policy's count is restored afterwards.
    /// </summary>
    private static void RunAsym(IBenchWorkload w, BenchOptions options, int rep, List<BenchObservation> observations)
    {
        if (w.AsymUnavailable is not null) return;
        var gemm = Blas.Current;
        var policyThreads = gemm.Threads;
        int[] settings = w.TriesThreadSettings && policyThreads > 1 ? [policyThreads, 1] : [policyThreads];
        if (rep % 2 == 0) Array.Reverse(settings);
        try
        {
            foreach (var threads in settings)
            {
                gemm.Threads = threads;
                var baseline = PeakMemory.Reset();
                var s = w.RunAsym(options);
                observations.Add(new BenchObservation(w.Name, "asymnet", rep, s.Setting, s.Value, w.Unit, s.Accuracy, PeakMemory.Megabytes(baseline), baseline, s.Detail));
            }
        }
        finally
        {
            gemm.Threads = policyThreads;
        }
    }

    private static void RunTorch(IBenchWorkload w, BenchOptions options, int rep, TorchBench torch,
        List<BenchObservation> observations, Dictionary<string, string> errors)
    {
        try
        {
            foreach (var request in w.TorchRequests(options))
            {
                var reply = torch.Request(request);
                observations.Add(new BenchObservation(w.Name, "torch", rep, reply["setting"]?.GetValue<string>() ?? "?",
                    reply["value"]!.GetValue<double>(), w.Unit, reply["accuracy"]?.GetValue<double>(), reply["peak_rss_mb"]?.GetValue<double>(),
                    reply["base_rss_mb"]?.GetValue<double>(), reply["detail"]?.GetValue<string>()));
            }
        }
        catch (InvalidOperationException e)
        {
            errors[w.Name] = e.Message;
        }
    }

    private static BenchRow Summarise(IBenchWorkload w, List<BenchObservation> observations, string? torchNote)
    {
        // Each side's figure is its best setting: the one with the highest median.
        var asym = observations.Where(o => o.Workload == w.Name && o.Side == "asymnet")
            .GroupBy(o => o.Setting).MaxBy(g => Median(g.Select(o => o.Value)))?.ToList() ?? [];
        var torchBest = observations.Where(o => o.Workload == w.Name && o.Side == "torch")
            .GroupBy(o => o.Setting).MaxBy(g => Median(g.Select(o => o.Value)))?.ToList() ?? [];
        double? asymMedian = asym.Count > 0 ? Median(asym.Select(o => o.Value)) : null;
        double? torchMedian = torchBest.Count > 0 ? Median(torchBest.Select(o => o.Value)) : null;
        var notes = new[] { w.AsymUnavailable is null ? null : $"AsymNet: {w.AsymUnavailable}", torchNote is null ? null : $"PyTorch: {torchNote}" };
        return new BenchRow(w.Name, w.Description, w.Unit,
            asymMedian, asym.FirstOrDefault()?.Setting, MedianOrNull(asym.Select(o => o.Accuracy)),
            torchMedian, torchBest.FirstOrDefault()?.Setting, MedianOrNull(torchBest.Select(o => o.Accuracy)),
            asymMedian / torchMedian, notes.Any(n => n is not null) ? string.Join("; ", notes.Where(n => n is not null)) : null,
            MedianOrNull(asym.Select(o => o.PeakMemoryMb)), MedianOrNull(torchBest.Select(o => o.PeakMemoryMb)),
            MedianOrNull(asym.Select(o => o.PeakMemoryMb - o.BaseMemoryMb)), MedianOrNull(torchBest.Select(o => o.PeakMemoryMb - o.BaseMemoryMb)));
    }

    public static double Median(IEnumerable<double> values)
    {
        var v = values.Order().ToArray();
        if (v.Length == 0) throw new ArgumentException("Median of nothing.");
        return v.Length % 2 == 1 ? v[v.Length / 2] : (v[v.Length / 2 - 1] + v[v.Length / 2]) / 2;
    }

    private static double? MedianOrNull(IEnumerable<double?> values)
    {
        var v = values.Where(x => x.HasValue).Select(x => x!.Value).ToList();
        return v.Count > 0 ? Median(v) : null;
    }
}
