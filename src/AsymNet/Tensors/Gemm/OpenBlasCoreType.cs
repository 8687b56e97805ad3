namespace AsymNet.Tensors.Gemm;

/// <summary>What AsymNet did with OPENBLAS_CORETYPE before loading OpenBLAS, for logs and manifests.</summary>
/// <param name="Inherited">The value the process started with (null: unset).</param>
/// <param name="Applied">The value OpenBLAS saw when it was loaded (null: unset, OpenBLAS detects the CPU itself).</param>
/// <param name="Rule">Why: "default: unset", "ASYM_OPENBLAS_CORETYPE=keep" or "ASYM_OPENBLAS_CORETYPE=&lt;value&gt;".</param>
public sealed record OpenBlasCoreTypeDecision(string? Inherited, string? Applied, string Rule);

/// <summary>
/// The OPENBLAS_CORETYPE policy. OpenBLAS reads the variable once, when the library is loaded, and these machines'
/// environment pins it to Haswell (AVX2 kernels) although the CPU has AVX-512. AsymNet therefore removes it from
/// its own process before loading OpenBLAS, so OpenBLAS picks the kernels for the CPU it runs on, unless
/// ASYM_OPENBLAS_CORETYPE says otherwise: "keep" leaves the inherited value, any other value is forced.
/// The measurements behind the default are in docs/compute.md.
/// </summary>
public static class OpenBlasCoreType
{
    public const string Variable = "OPENBLAS_CORETYPE";
    public const string OverrideVariable = "ASYM_OPENBLAS_CORETYPE";
    public const string Keep = "keep";

    /// <summary>The decision for an inherited OPENBLAS_CORETYPE and an ASYM_OPENBLAS_CORETYPE (either may be null or empty).</summary>
    public static OpenBlasCoreTypeDecision Decide(string? inherited, string? asymOverride)
    {
        inherited = string.IsNullOrWhiteSpace(inherited) ? null : inherited.Trim();
        var wish = string.IsNullOrWhiteSpace(asymOverride) ? null : asymOverride.Trim();
        if (wish is null) return new(inherited, null, "default: unset");
        if (wish.Equals(Keep, StringComparison.OrdinalIgnoreCase)) return new(inherited, inherited, $"{OverrideVariable}={Keep}");
        return new(inherited, wish, $"{OverrideVariable}={wish}");
    }

    /// <summary>Decides from this process's environment and changes OPENBLAS_CORETYPE in it; call before loading OpenBLAS.</summary>
    internal static OpenBlasCoreTypeDecision Apply()
    {
        var decision = Decide(Environment.GetEnvironmentVariable(Variable), Environment.GetEnvironmentVariable(OverrideVariable));
        if (decision.Applied != decision.Inherited) NativeEnvironment.Set(Variable, decision.Applied);
        return decision;
    }
}
