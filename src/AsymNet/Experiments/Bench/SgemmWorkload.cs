using System.Diagnostics;
using System.Text.Json.Nodes;
using AsymNet.Tensors;
using AsymNet.Tensors.Gemm;

namespace AsymNet.Experiments.Bench;

/// <summary>
/// C = A·B for row-major m×k and k×n float32 matrices, in GFLOP/s (2mnk per call): AsymNet's <see cref="Blas.Current"/>
/// at the process's threading policy against torch.mm at one thread and at every core.
/// </summary>
public sealed class SgemmWorkload(int m, int n, int k) : IBenchWorkload
{
    private float[]? _a, _b, _c;

    public string Name => m == n && n == k ? $"sgemm-{m}" : $"sgemm-{m}x{n}x{k}";
    public string Description => $"sgemm ({m}×{k})·({k}×{n})";
    public string Unit => "GFLOP/s";
    public string? AsymUnavailable => null;

    public BenchSample RunAsym(BenchOptions options)
    {
        if (_a is null)
        {
            var rng = new Rng(options.Seed);
            _a = new float[m * k];
            _b = new float[k * n];
            _c = new float[m * n];
            rng.FillUniform(_a, -0.5f, 0.5f);
            rng.FillUniform(_b, -0.5f, 0.5f);
        }
        var gemm = Blas.Current;
        gemm.Sgemm(false, false, m, n, k, 1f, _a, k, _b!, n, 0f, _c, n); // warm-up: JIT, packing buffers, BLAS threads
        var calls = 0;
        var clock = Stopwatch.StartNew();
        do
        {
            gemm.Sgemm(false, false, m, n, k, 1f, _a, k, _b!, n, 0f, _c, n);
            calls++;
        } while (clock.Elapsed.TotalSeconds < options.MinSeconds);
        return new BenchSample(2.0 * m * n * k * calls / clock.Elapsed.TotalSeconds / 1e9, null, $"{gemm.Name}, {gemm.Threads} thread(s)");
    }

    public IReadOnlyList<JsonObject> TorchRequests(BenchOptions options) =>
        new[] { 1, Environment.ProcessorCount }.Distinct()
            .Select(t => new JsonObject { ["op"] = "sgemm", ["m"] = m, ["n"] = n, ["k"] = k, ["threads"] = t, ["min_seconds"] = options.MinSeconds })
            .ToList();
}
