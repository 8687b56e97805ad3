using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using System.Text.Json;
using AsymNet.Tensors.Gemm;

namespace AsymNet.Tensors;

/// <summary>
/// What this process computes with: CPU, vector width and the kernel paths it selects, BLAS (name, OpenBLAS core type and what was done with
/// OPENBLAS_CORETYPE), threads, .NET and the git commit. One object, printed by <c>asym env</c> and embedded in
/// every run manifest, so a number can always be traced to the machine setting that produced it.
/// </summary>
public sealed record ComputeEnvironment
{
    public required string CpuModel { get; init; }
    public required int Cores { get; init; }

    /// <summary>Widest hardware-accelerated System.Numerics vector: 512, 256 or 128 bits.</summary>
    public required int VectorBits { get; init; }

    /// <summary>
    /// The kernel paths in force (<see cref="KernelPaths.Current"/>, as ASYM_KERNELS writes them: "512,direct",
    /// "256,lowered", "scalar,lowered"); null in manifests written before they were recorded.
    /// </summary>
    public string? Kernels { get; init; }

    /// <summary>Instruction-set extensions that matter to the kernels (avx512f, avx2, fma, advsimd).</summary>
    public required IReadOnlyList<string> Isa { get; init; }

    /// <summary><see cref="IGemm.Name"/> of <see cref="Blas.Current"/>.</summary>
    public required string Blas { get; init; }

    public required int BlasThreads { get; init; }

    /// <summary>openblas_get_corename() when OpenBLAS is the provider (the kernels actually in use), else null.</summary>
    public string? BlasCoreName { get; init; }

    /// <summary>openblas_get_config() when OpenBLAS is the provider, else null.</summary>
    public string? BlasConfig { get; init; }

    /// <summary>What was done with OPENBLAS_CORETYPE before OpenBLAS was loaded; null when it was not loaded.</summary>
    public OpenBlasCoreTypeDecision? OpenBlasCoreType { get; init; }

    public required ThreadingPolicy Threading { get; init; }
    public required string DotNet { get; init; }
    public required string Os { get; init; }
    public string? GitCommit { get; init; }

    public string ToJson() => JsonSerializer.Serialize(this, JsonFormat.Options);

    public static ComputeEnvironment FromJson(string json) =>
        JsonSerializer.Deserialize<ComputeEnvironment>(json, JsonFormat.Options) ?? throw new InvalidDataException("Compute environment JSON is null.");

    /// <summary>The environment of this process now (initialises <see cref="Gemm.Blas.Current"/> if nothing has).</summary>
    public static ComputeEnvironment Capture()
    {
        var blas = Gemm.Blas.Current;
        var openBlas = blas as OpenBlasGemm;
        return new ComputeEnvironment
        {
            CpuModel = CpuModelName(),
            Cores = Environment.ProcessorCount,
            VectorBits = Vector512.IsHardwareAccelerated ? 512 : Vector256.IsHardwareAccelerated ? 256 : 128,
            Kernels = KernelPaths.Current.ToString(),
            Isa = IsaExtensions(),
            Blas = blas.Name,
            BlasThreads = blas.Threads,
            BlasCoreName = openBlas?.CoreName,
            BlasConfig = openBlas?.Config,
            OpenBlasCoreType = openBlas?.CoreType,
            Threading = ThreadingPolicy.Current,
            DotNet = RuntimeInformation.FrameworkDescription,
            Os = RuntimeInformation.OSDescription,
            GitCommit = Tensors.GitCommit.OfThisProcess(),
        };
    }

    private static string CpuModelName()
    {
        try
        {
            if (File.Exists("/proc/cpuinfo"))
                foreach (var line in File.ReadLines("/proc/cpuinfo"))
                    if (line.StartsWith("model name", StringComparison.Ordinal) && line.IndexOf(':') is var i and > 0)
                        return line[(i + 1)..].Trim();
        }
        catch (IOException)
        {
            // Fall through to the architecture name.
        }
        return RuntimeInformation.ProcessArchitecture.ToString();
    }

    private static List<string> IsaExtensions()
    {
        var isa = new List<string>();
        if (Avx512F.IsSupported) isa.Add("avx512f");
        if (Avx2.IsSupported) isa.Add("avx2");
        if (Fma.IsSupported) isa.Add("fma");
        if (System.Runtime.Intrinsics.Arm.AdvSimd.IsSupported) isa.Add("advsimd");
        return isa;
    }
}
