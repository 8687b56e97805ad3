using System.Diagnostics;
using System.Text.Json.Nodes;
using AsymNet.Tensors;
using AsymNet.Tensors.Gemm;
using AsymNet.Tensors.Ops;

namespace AsymNet.Experiments.Bench;

/// <summary>
/// One ResNet convolution, forward and backward (gradients of input and weight of Σ y, no bias), on
/// [batch, channels, size, size] with a 3×3 kernel, padding 1: ResNet20 at batch 128 on CIFAR is the project's speed
/// target (issue 6). GFLOP/s counts the three GEMM-sized products (forward, input and weight gradient). PyTorch runs
/// torch.nn.functional.conv2d at one thread and at every core.
/// </summary>
public sealed class Conv2dWorkload(int batch, int inChannels, int outChannels, int size, int stride) : IBenchWorkload
{
    private Tensor? _x, _w;

    public string Name => $"conv3x3-{inChannels}to{outChannels}-{size}px-s{stride}-b{batch}";
    public string Description => $"conv2d 3×3 {inChannels}→{outChannels}, stride {stride}, on [{batch}, {inChannels}, {size}, {size}], forward+backward";
    public string Unit => "GFLOP/s";
    public string? AsymUnavailable => null;

    private int OutSize => (size + 2 - 3) / stride + 1;
    private double FlopsPerPass => 3 * 2.0 * batch * outChannels * inChannels * 9 * OutSize * OutSize;

    public BenchSample RunAsym(BenchOptions options)
    {
        if (_x is null)
        {
            var rng = new Rng(options.Seed);
            _x = Tensor.Persistent(batch, inChannels, size, size);
            _w = Tensor.Persistent(outChannels, inChannels, 3, 3);
            rng.FillUniform(_x.Span, -1f, 1f);
            rng.FillUniform(_w.Span, -0.2f, 0.2f);
            _x.RequiresGrad = _w!.RequiresGrad = true;
        }
        var scope = new TensorScope();
        void Pass()
        {
            using (scope.Enter()) Ops.Sum(Ops.Conv2d(_x, _w!, null, stride, 1)).Backward();
        }
        Pass(); // warm-up: JIT, pooled buffers, gradient buffers
        var passes = 0;
        var clock = Stopwatch.StartNew();
        do
        {
            Pass();
            passes++;
        } while (clock.Elapsed.TotalSeconds < options.MinSeconds);
        var gemm = Blas.Current;
        return new BenchSample(FlopsPerPass * passes / clock.Elapsed.TotalSeconds / 1e9, null, $"{gemm.Name}, {gemm.Threads} thread(s)");
    }

    public IReadOnlyList<JsonObject> TorchRequests(BenchOptions options) =>
        new[] { 1, Environment.ProcessorCount }.Distinct()
            .Select(t => new JsonObject
            {
                ["op"] = "conv2d", ["batch"] = batch, ["in_channels"] = inChannels, ["out_channels"] = outChannels,
                ["size"] = size, ["stride"] = stride, ["flops"] = FlopsPerPass, ["threads"] = t, ["min_seconds"] = options.MinSeconds,
            })
            .ToList();
}
