using System.Globalization;
using System.Text.Json.Nodes;
using AsymNet.Symmetry.Matching;
using AsymNet.Tensors.Gemm;

namespace AsymNet.Experiments.Bench;

/// <summary>
/// Git Re-Basin weight matching of two independently initialised MLP-4s (784-512-512-512-10, LayerNorm; 3
/// permutations of 512), in matchings per second: AsymNet's <see cref="WeightMatching"/> against the authors'
/// weight_matching (torch matmuls + SciPy linear_sum_assignment, re-typed in bench/torch_bench.py). The sweep count
/// depends on the random weights and the permutation order, so each side's setting reports its sweeps.
/// </summary>
public sealed class RebasinWorkload : IBenchWorkload
{
    private Func<WeightMatchingResult>? _match;

    public string Name => "rebasin-mlp4";
    public string Description => "weight matching of two MLP-4s (784-512-512-512-10)";
    public string Unit => "matchings/s";
    public string? AsymUnavailable => null;

    public BenchSample RunAsym(BenchOptions options)
    {
        var match = _match ??= MatchingWorkloads.WeightMatchingMlp4(options.Seed + 1, options.Seed + 2);
        var sweeps = match().Sweeps; // warm-up
        var (calls, seconds) = LapWorkload.Repeat(() => match(), options.MinSeconds);
        return new BenchSample(calls / seconds, null, BenchSetting.Describe(),
            string.Create(CultureInfo.InvariantCulture, $"{sweeps} sweeps, {1e3 * seconds / calls:F0} ms/matching"));
    }

    public IReadOnlyList<JsonObject> TorchRequests(BenchOptions options) =>
        new[] { 1, Environment.ProcessorCount }.Distinct()
            .Select(t => new JsonObject { ["op"] = "rebasin_mlp4", ["threads"] = t, ["seed"] = (long)options.Seed + 1, ["min_seconds"] = options.MinSeconds })
            .ToList();
}
