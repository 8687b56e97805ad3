using System.Runtime.InteropServices;

namespace AsymNet.Tensors.Gemm;

/// <summary>
/// OpenBLAS's cblas_sgemm, loaded explicitly as libopenblas.so.0 (Debian's libopenblas0-pthread). Not libblas.so.3:
/// on a machine without OpenBLAS that name is the slow reference BLAS. Functions are bound as unmanaged function
/// pointers from the loaded handle, so there is no doubt which library answers.
/// </summary>
public sealed unsafe class OpenBlasGemm : IGemm
{
    public const string LibraryName = "libopenblas.so.0";

    // cblas.h enums.
    private const int RowMajor = 101, NoTrans = 111, Trans = 112;

    private static readonly Lazy<(OpenBlasGemm? Gemm, string? Error)> Loaded = new(Load);

    private readonly delegate* unmanaged<int, int, int, int, int, int, float, float*, int, float*, int, float, float*, int, void> _sgemm;
    private readonly delegate* unmanaged<int, void> _setNumThreads;
    private readonly delegate* unmanaged<int> _getNumThreads;

    private OpenBlasGemm(nint handle, OpenBlasCoreTypeDecision coreType)
    {
        _sgemm = (delegate* unmanaged<int, int, int, int, int, int, float, float*, int, float*, int, float, float*, int, void>)
            NativeLibrary.GetExport(handle, "cblas_sgemm");
        _setNumThreads = (delegate* unmanaged<int, void>)NativeLibrary.GetExport(handle, "openblas_set_num_threads");
        _getNumThreads = (delegate* unmanaged<int>)NativeLibrary.GetExport(handle, "openblas_get_num_threads");
        var getConfig = (delegate* unmanaged<byte*>)NativeLibrary.GetExport(handle, "openblas_get_config");
        var getCoreName = (delegate* unmanaged<byte*>)NativeLibrary.GetExport(handle, "openblas_get_corename");
        Config = Marshal.PtrToStringUTF8((nint)getConfig()) ?? "";
        CoreName = Marshal.PtrToStringUTF8((nint)getCoreName()) ?? "";
        CoreType = coreType;
        MaxThreads = Math.Max(1, Math.Max(_getNumThreads(), Environment.ProcessorCount));
        var parts = Config.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        Version = parts.Length > 1 && parts[0].Equals("OpenBLAS", StringComparison.OrdinalIgnoreCase) ? parts[1] : "?";
    }

    /// <summary>The process's OpenBLAS, loaded on first use (after applying <see cref="OpenBlasCoreType"/>), or null.</summary>
    public static OpenBlasGemm? Instance => Loaded.Value.Gemm;

    /// <summary>Why <see cref="Instance"/> is null; null when it loaded.</summary>
    public static string? LoadError => Loaded.Value.Error;

    /// <summary>openblas_get_config(), e.g. "OpenBLAS 0.3.21 DYNAMIC_ARCH NO_AFFINITY Haswell MAX_THREADS=64".</summary>
    public string Config { get; }

    /// <summary>openblas_get_corename(): the kernel family in use, e.g. "Haswell", "SkylakeX", "Cooperlake".</summary>
    public string CoreName { get; }

    public string Version { get; }

    /// <summary>What was done with OPENBLAS_CORETYPE before the load.</summary>
    public OpenBlasCoreTypeDecision CoreType { get; }

    public int MaxThreads { get; }

    public string Name => $"openblas {Version} ({CoreName})";

    public int Threads
    {
        get => _getNumThreads();
        set => _setNumThreads(Math.Clamp(value, 1, MaxThreads));
    }

    private static (OpenBlasGemm?, string?) Load()
    {
        var coreType = OpenBlasCoreType.Apply();
        if (!NativeLibrary.TryLoad(LibraryName, out var handle))
            return (null, $"{LibraryName} could not be loaded (install the Debian package libopenblas0-pthread, e.g. scripts/setup.sh)");
        try
        {
            return (new OpenBlasGemm(handle, coreType), null);
        }
        catch (EntryPointNotFoundException e)
        {
            return (null, $"{LibraryName} loaded but lacks an export AsymNet needs: {e.Message}");
        }
    }

    public void Sgemm(bool transA, bool transB, int m, int n, int k, float alpha,
        ReadOnlySpan<float> a, int lda, ReadOnlySpan<float> b, int ldb, float beta, Span<float> c, int ldc)
    {
        if (GemmArgs.Trivial(transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)) return;
        fixed (float* pa = a)
        fixed (float* pb = b)
        fixed (float* pc = c)
            _sgemm(RowMajor, transA ? Trans : NoTrans, transB ? Trans : NoTrans, m, n, k, alpha, pa, lda, pb, ldb, beta, pc, ldc);
    }
}
