using System.Numerics;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using AsymNet.Tensors.Gemm;

namespace AsymNet.Experiments.Runs;

/// <summary>
/// What a run ran on, as recorded in every manifest: runtime, OS, CPU count, SIMD width, GEMM provider and thread
/// settings. <see cref="Capture"/> is the one place these facts are collected (a Tensors-layer compute-environment
/// object can replace its body later without touching the manifests' users).
/// </summary>
public sealed record RunEnvironment(
    string DotNet,
    string Os,
    string Architecture,
    int ProcessorCount,
    int SimdFloats,
    string SimdIsa,
    string Gemm,
    IReadOnlyDictionary<string, string?> ThreadVariables)
{
    public static RunEnvironment Capture() => new(
        RuntimeInformation.FrameworkDescription,
        RuntimeInformation.OSDescription,
        RuntimeInformation.ProcessArchitecture.ToString(),
        Environment.ProcessorCount,
        Vector<float>.Count,
        Vector512.IsHardwareAccelerated ? "512-bit" : Vector256.IsHardwareAccelerated ? "256-bit" : Vector128.IsHardwareAccelerated ? "128-bit" : "none",
        Blas.Current.Name,
        new[] { "OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "DOTNET_ThreadPool_ForceMaxWorkerThreads" }
            .ToDictionary(v => v, Environment.GetEnvironmentVariable));
}
