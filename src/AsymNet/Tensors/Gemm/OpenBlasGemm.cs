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
        _threads = _getNumThreads();
        // OpenBLAS itself always runs single-threaded; Sgemm spreads work over cores (see there).
        _setNumThreads(1);
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

    /// <summary>
    /// Cores a GEMM may use. OpenBLAS's own threads are kept at one: its static split makes every thread wait for the
    /// slowest, and its waiting threads spin, so on a busy two-core machine a 64×512×512 product took 2–3× longer with
    /// two OpenBLAS threads than with one. Instead <see cref="Sgemm"/> cuts a large product into a fixed number of
    /// column (or row) blocks, single-threaded OpenBLAS calls that the caller and a worker claim as they get CPU time
    /// (<see cref="ParallelChunks"/>); the blocks depend only on the shape, also at one thread, so results do not depend on
    /// this setting.
    /// </summary>
    public int Threads
    {
        get => _threads;
        set => _threads = Math.Clamp(value, 1, MaxThreads);
    }

    private int _threads;

    // Products smaller than this (multiply-adds) run in one call. Each block must outweigh the worker's wake-up and the
    // repacking of the shared operand: blocks of at least 2^23 multiply-adds (~50 µs), so the MLP's 64-row products
    // (16–26M) split in two or three, 512³ (134M) in eight.
    private const long SplitThreshold = 1L << 24;

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
        {
            var macs = (long)m * n * k;
            // The split depends on the shape only (at one thread the blocks run one after another), so results are the
            // same for every thread setting: OpenBLAS's blocked and whole products can differ in the last bit.
            if (macs < SplitThreshold)
            {
                _sgemm(RowMajor, transA ? Trans : NoTrans, transB ? Trans : NoTrans, m, n, k, alpha, pa, lda, pb, ldb, beta, pc, ldc);
                return;
            }
            // Blocks of the longer side of C, in multiples of 16, about 2^23 multiply-adds each, 2 to 8 of them.
            var byColumns = n >= m;
            var side = byColumns ? n : m;
            var blocks = (int)Math.Clamp(macs >> 23, 2, 8);
            var width = Math.Max(16, (side + blocks - 1) / blocks + 15) / 16 * 16;
            blocks = (side + width - 1) / width;
            var job = _job ??= new SplitJob();
            job.Set(_sgemm, transA, transB, m, n, k, alpha, pa, lda, pb, ldb, beta, pc, ldc, byColumns, width);
            ParallelChunks.Run(job, blocks);
        }
    }

    [ThreadStatic] private static SplitJob? _job;

    /// <summary>One block of C: columns [j·w, (j+1)·w) (A times a column block of B) or rows (a row block of A times B).</summary>
    private sealed class SplitJob : IChunkJob
    {
        private delegate* unmanaged<int, int, int, int, int, int, float, float*, int, float*, int, float, float*, int, void> _sgemm;
        private bool _transA, _transB, _byColumns;
        private int _m, _n, _k, _lda, _ldb, _ldc, _width;
        private float _alpha, _beta;
        private float* _a, _b, _c;

        public void Set(delegate* unmanaged<int, int, int, int, int, int, float, float*, int, float*, int, float, float*, int, void> sgemm,
            bool transA, bool transB, int m, int n, int k, float alpha, float* a, int lda, float* b, int ldb, float beta, float* c, int ldc,
            bool byColumns, int width)
        {
            _sgemm = sgemm;
            (_transA, _transB, _byColumns) = (transA, transB, byColumns);
            (_m, _n, _k, _lda, _ldb, _ldc, _width) = (m, n, k, lda, ldb, ldc, width);
            (_alpha, _beta) = (alpha, beta);
            _a = a;
            _b = b;
            _c = c;
        }

        public void RunChunk(int chunk, int participant)
        {
            var start = chunk * _width;
            var (ta, tb) = (_transA ? Trans : NoTrans, _transB ? Trans : NoTrans);
            if (_byColumns)
            {
                // Columns of op(B): B's columns (row-major, no transpose) or B's rows (transposed).
                var cols = Math.Min(_width, _n - start);
                var b = _b + (_transB ? (long)start * _ldb : start);
                _sgemm(RowMajor, ta, tb, _m, cols, _k, _alpha, _a, _lda, b, _ldb, _beta, _c + start, _ldc);
            }
            else
            {
                var rows = Math.Min(_width, _m - start);
                var a = _a + (_transA ? start : (long)start * _lda);
                _sgemm(RowMajor, ta, tb, rows, _n, _k, _alpha, a, _lda, _b, _ldb, _beta, _c + (long)start * _ldc, _ldc);
            }
        }
    }
}
