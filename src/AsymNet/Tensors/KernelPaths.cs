using System.Runtime.Intrinsics;

namespace AsymNet.Tensors;

/// <summary>The widest vectors the kernels may use: 512 or 256 bits, or one float at a time.</summary>
public enum VectorPath
{
    Scalar = 0,
    Bits256 = 256,
    Bits512 = 512,
}

/// <summary>How 3×3 convolutions run: the direct 512-bit kernels where the shape allows, or lowered to im2col + GEMM.</summary>
public enum ConvolutionPath
{
    Direct,
    Lowered,
}

/// <summary>
/// One choice of kernel paths. Direct convolutions need 512-bit vectors, so narrower settings always lower them
/// (<see cref="Normalized"/>). Written as ASYM_KERNELS takes it: "512", "256,lowered", "scalar".
/// </summary>
public readonly record struct KernelPathSetting(VectorPath Vectors, ConvolutionPath Convolution)
{
    public KernelPathSetting Normalized => Vectors == VectorPath.Bits512 ? this : this with { Convolution = ConvolutionPath.Lowered };

    public override string ToString() =>
        (Vectors == VectorPath.Scalar ? "scalar" : ((int)Vectors).ToString(System.Globalization.CultureInfo.InvariantCulture)) +
        (Convolution == ConvolutionPath.Direct ? ",direct" : ",lowered");

    /// <summary>
    /// Parses comma-separated tokens (512, 256, scalar; direct, lowered) over <paramref name="defaults"/>; a token
    /// names what it changes, so "lowered" alone keeps the vector width.
    /// </summary>
    public static KernelPathSetting Parse(string text, KernelPathSetting defaults)
    {
        var s = defaults;
        foreach (var raw in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            s = raw.ToLowerInvariant() switch
            {
                "512" => s with { Vectors = VectorPath.Bits512 },
                "256" => s with { Vectors = VectorPath.Bits256 },
                "scalar" => s with { Vectors = VectorPath.Scalar },
                "direct" => s with { Convolution = ConvolutionPath.Direct },
                "lowered" => s with { Convolution = ConvolutionPath.Lowered },
                _ => throw new ArgumentException($"{KernelPaths.EnvironmentVariable}: unknown kernel path '{raw}' (known: 512, 256, scalar, direct, lowered)."),
            };
        return s.Normalized;
    }
}

/// <summary>
/// Which kernel paths this process runs: by default the widest the hardware has; the environment variable
/// ASYM_KERNELS narrows it (e.g. "256,lowered"), and tests force every available setting in turn
/// (<see cref="Use"/>), so that one AVX-512 machine exercises the paths of every other machine. Kernels read the
/// flags below once per call, never per element. Paths the switch does not reach: TensorPrimitives' own
/// vectorisation and the BLAS (they pick their width themselves).
/// </summary>
public static class KernelPaths
{
    public const string EnvironmentVariable = "ASYM_KERNELS";

    /// <summary>The widest setting this hardware runs (the default).</summary>
    public static KernelPathSetting Widest { get; } = new KernelPathSetting(
        Vector512.IsHardwareAccelerated ? VectorPath.Bits512 : Vector256.IsHardwareAccelerated ? VectorPath.Bits256 : VectorPath.Scalar,
        ConvolutionPath.Direct).Normalized;

    private static KernelPathSetting _current = Checked(Environment.GetEnvironmentVariable(EnvironmentVariable) is { Length: > 0 } text
        ? KernelPathSetting.Parse(text, Widest)
        : Widest);

    // The flags the kernels test, kept in step with _current.
    internal static bool Use512 = _current.Vectors == VectorPath.Bits512;
    internal static bool Use256 = _current.Vectors >= VectorPath.Bits256;
    internal static bool DirectConvolution = _current.Convolution == ConvolutionPath.Direct;

    /// <summary>The setting in force, as the run manifest reports it.</summary>
    public static KernelPathSetting Current => _current;

    /// <summary>Every setting this machine can run, widest first: each narrower width, and 512 bits with lowered convolutions.</summary>
    public static IReadOnlyList<KernelPathSetting> Available()
    {
        var all = new List<KernelPathSetting>();
        foreach (var v in (VectorPath[])[VectorPath.Bits512, VectorPath.Bits256, VectorPath.Scalar])
        {
            if (v > Widest.Vectors) continue;
            if (v == VectorPath.Bits512) all.Add(new KernelPathSetting(v, ConvolutionPath.Direct));
            all.Add(new KernelPathSetting(v, ConvolutionPath.Lowered));
        }
        return all;
    }

    /// <summary>
    /// Runs every kernel with <paramref name="setting"/> until the result is disposed. Process-wide (the op worker thread
    /// must agree), so callers make sure no other op runs meanwhile (tests: a collection that runs alone).
    /// </summary>
    internal static IDisposable Use(KernelPathSetting setting)
    {
        var before = _current;
        Set(Checked(setting.Normalized));
        return new Restore(before);
    }

    private static void Set(KernelPathSetting s)
    {
        _current = s;
        (Use512, Use256, DirectConvolution) = (s.Vectors == VectorPath.Bits512, s.Vectors >= VectorPath.Bits256, s.Convolution == ConvolutionPath.Direct);
    }

    private static KernelPathSetting Checked(KernelPathSetting s) => s.Vectors <= Widest.Vectors
        ? s
        : throw new ArgumentException($"{EnvironmentVariable}: {(int)s.Vectors}-bit vectors are not accelerated on this machine (widest: {Widest}).");

    private sealed class Restore(KernelPathSetting before) : IDisposable
    {
        public void Dispose() => Set(before);
    }
}
