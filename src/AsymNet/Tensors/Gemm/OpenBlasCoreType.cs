using System.Runtime.Intrinsics.X86;

namespace AsymNet.Tensors.Gemm;

/// <summary>What AsymNet did with OPENBLAS_CORETYPE before loading OpenBLAS, for logs and manifests.</summary>
/// <param name="Inherited">The value the process started with (null: unset).</param>
/// <param name="Applied">The value OpenBLAS saw when it was loaded (null: unset, OpenBLAS detects the CPU itself).</param>
/// <param name="Rule">Why: "default: SkylakeX (AVX-512)", "default: unset", "ASYM_OPENBLAS_CORETYPE=keep" or
/// "ASYM_OPENBLAS_CORETYPE=&lt;value&gt;".</param>
public sealed record OpenBlasCoreTypeDecision(string? Inherited, string? Applied, string Rule);

/// <summary>
/// The OPENBLAS_CORETYPE policy. OpenBLAS reads the variable once, when the library is loaded. By default AsymNet
/// chooses the core type from the instruction set: SkylakeX on a CPU with AVX-512 F/CD/BW/DQ/VL, because OpenBLAS
/// 0.3.21's detection falls back to its SSE3 (Prescott) kernels on CPUs it does not know (a VM's "Intel Xeon
/// Processor"; 5× slower GEMM) and every AVX-512 core type it knows runs the SkylakeX sgemm kernels anyway; on other
/// CPUs the variable is removed, so OpenBLAS detects the CPU (an inherited pin such as Haswell is dropped).
/// ASYM_OPENBLAS_CORETYPE overrides: "keep" leaves the inherited value, any other value is forced.
/// The measurements behind the default are in docs/compute.md.
/// </summary>
public static class OpenBlasCoreType
{
    public const string Variable = "OPENBLAS_CORETYPE";
    public const string OverrideVariable = "ASYM_OPENBLAS_CORETYPE";
    public const string Keep = "keep";
    public const string Avx512CoreType = "SkylakeX";

    /// <summary>Whether this CPU has the AVX-512 subsets OpenBLAS's SkylakeX kernels use (CPUID leaf 7: F, DQ, CD, BW,
    /// VL). Read from the CPU, not from .NET's enabled instruction sets, so that DOTNET_EnableAVX512=0 changes
    /// AsymNet's own kernels only, not OpenBLAS's.</summary>
    public static bool HasAvx512 { get; } = X86Base.IsSupported && Avx2.IsSupported && Avx512Bits((uint)X86Base.CpuId(7, 0).Ebx);

    /// <summary>F (bit 16), DQ (17), CD (28), BW (30) and VL (31) in CPUID.(EAX=7, ECX=0):EBX.</summary>
    internal static bool Avx512Bits(uint ebx)
    {
        const uint required = 1u << 16 | 1u << 17 | 1u << 28 | 1u << 30 | 1u << 31;
        return (ebx & required) == required;
    }

    /// <summary>The decision for an inherited OPENBLAS_CORETYPE and an ASYM_OPENBLAS_CORETYPE (either may be null or
    /// empty) on a CPU with or without AVX-512.</summary>
    public static OpenBlasCoreTypeDecision Decide(string? inherited, string? asymOverride, bool avx512)
    {
        inherited = string.IsNullOrWhiteSpace(inherited) ? null : inherited.Trim();
        var wish = string.IsNullOrWhiteSpace(asymOverride) ? null : asymOverride.Trim();
        if (wish is null)
            return avx512 ? new(inherited, Avx512CoreType, $"default: {Avx512CoreType} (AVX-512)") : new(inherited, null, "default: unset");
        if (wish.Equals(Keep, StringComparison.OrdinalIgnoreCase)) return new(inherited, inherited, $"{OverrideVariable}={Keep}");
        return new(inherited, wish, $"{OverrideVariable}={wish}");
    }

    /// <summary>The decision for this process's environment and CPU. After <see cref="Apply"/> it yields the same
    /// Applied value, so child processes (the PyTorch peer) can be given the core type AsymNet runs.</summary>
    public static OpenBlasCoreTypeDecision Decide() =>
        Decide(Environment.GetEnvironmentVariable(Variable), Environment.GetEnvironmentVariable(OverrideVariable), HasAvx512);

    /// <summary>Decides from this process's environment and changes OPENBLAS_CORETYPE in it; call before loading OpenBLAS.</summary>
    internal static OpenBlasCoreTypeDecision Apply()
    {
        var decision = Decide();
        if (decision.Applied != decision.Inherited) NativeEnvironment.Set(Variable, decision.Applied);
        return decision;
    }
}
