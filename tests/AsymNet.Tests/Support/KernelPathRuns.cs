using System.Runtime.Intrinsics;
using AsymNet.Tensors;
using AsymNet.Tensors.Gemm;

namespace AsymNet.Tests.Support;

/// <summary>Tests that force kernel paths (<see cref="KernelPaths.Use"/>) or the version check, both process-wide, so they run alone.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class KernelPathsCollection
{
    public const string Name = "kernel paths";
}

/// <summary>Why a test cannot run here, or null: reported by the attributes below as a skip with its reason.</summary>
public static class MissingHardware
{
    public static string? Avx512 => Vector512.IsHardwareAccelerated ? null
        : "needs AVX-512 (the direct 3×3 convolution kernels); this machine runs their lowered path, tested elsewhere";

    /// <summary>Where Debian's libopenblas0-pthread puts the library AsymNet loads.</summary>
    public const string DebianOpenBlas = "/usr/lib/x86_64-linux-gnu/libopenblas.so.0";

    /// <summary>Skips only where OpenBLAS is not installed: an installed one that fails to load fails the test instead.</summary>
    public static string? OpenBlas => OpenBlasGemm.Instance is not null || File.Exists(DebianOpenBlas) ? null
        : "OpenBLAS is not installed (scripts/setup.sh installs libopenblas0-pthread)";

    /// <summary>The loaded OpenBLAS, for tests marked <see cref="OpenBlasFactAttribute"/> or <see cref="OpenBlasTheoryAttribute"/>.</summary>
    public static OpenBlasGemm LoadedOpenBlas() =>
        OpenBlasGemm.Instance ?? throw new Xunit.Sdk.XunitException($"OpenBLAS is installed but did not load: {OpenBlasGemm.LoadError}");
}

/// <summary>A fact that needs AVX-512: reported as skipped, with the reason, elsewhere.</summary>
public sealed class Avx512FactAttribute : FactAttribute
{
    public Avx512FactAttribute() => Skip = MissingHardware.Avx512;
}

/// <summary>A theory that needs AVX-512: reported as skipped, with the reason, elsewhere.</summary>
public sealed class Avx512TheoryAttribute : TheoryAttribute
{
    public Avx512TheoryAttribute() => Skip = MissingHardware.Avx512;
}

/// <summary>A fact about OpenBLAS: reported as skipped, with the reason, where the library is not installed.</summary>
public sealed class OpenBlasFactAttribute : FactAttribute
{
    public OpenBlasFactAttribute() => Skip = MissingHardware.OpenBlas;
}

/// <summary>A theory about OpenBLAS: reported as skipped, with the reason, where the library is not installed.</summary>
public sealed class OpenBlasTheoryAttribute : TheoryAttribute
{
    public OpenBlasTheoryAttribute() => Skip = MissingHardware.OpenBlas;
}

public static class KernelPathRuns
{
    /// <summary>Runs <paramref name="body"/> once under every kernel-path setting this machine has, widest first.</summary>
    public static List<T> OnEveryPath<T>(Func<KernelPathSetting, T> body)
    {
        var results = new List<T>();
        foreach (var setting in KernelPaths.Available())
        {
            using var _ = KernelPaths.Use(setting);
            results.Add(body(setting));
        }
        return results;
    }

    /// <summary>Runs <paramref name="body"/> with <see cref="Autograd.CheckVersions"/> on.</summary>
    public static T WithVersionCheck<T>(Func<T> body)
    {
        var before = Autograd.CheckVersions;
        Autograd.CheckVersions = true;
        try
        {
            return body();
        }
        finally
        {
            Autograd.CheckVersions = before;
        }
    }

    /// <summary>
    /// Runs <paramref name="body"/> with this thread's jobs inline, then shared with the worker (at two BLAS threads, so
    /// the comparison means something whatever the process's policy); asserts equal bits.
    /// </summary>
    public static void AssertSameBitsInlineAndParallel(Func<float[][]> body)
    {
        float[][] Run(bool serial)
        {
            var gemm = AsymNet.Tensors.Gemm.Blas.Current;
            var threads = gemm.Threads;
            ParallelChunks.Serial = serial;
            try
            {
                gemm.Threads = 2;
                Assert.True(serial || ParallelChunks.TwoCores, $"{gemm.Name} cannot run two threads here, so nothing would run in parallel.");
                return body();
            }
            finally
            {
                ParallelChunks.Serial = false;
                gemm.Threads = threads;
            }
        }
        var (inline, parallel) = (Run(true), Run(false));
        Assert.Equal(inline.Length, parallel.Length);
        for (var i = 0; i < inline.Length; i++) Assert.Equal(inline[i], parallel[i]);
    }

    /// <summary>Whether the values agree beyond float rounding: |a − b| ≤ rtol·max|b| + atol, element by element.</summary>
    public static void AssertClose(float[] want, float[] got, string what, double rtol = 1e-4, double atol = 1e-6)
    {
        Assert.Equal(want.Length, got.Length);
        var scale = want.Length == 0 ? 0 : want.Max(v => Math.Abs((double)v));
        for (var i = 0; i < want.Length; i++)
            if (!(Math.Abs((double)want[i] - got[i]) <= rtol * scale + atol))
                throw new Xunit.Sdk.XunitException($"{what}: element {i} is {got[i]}, want {want[i]} (tolerance {rtol}·{scale} + {atol}).");
    }
}
