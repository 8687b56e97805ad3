using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.Arm;

namespace AsymNet.Tensors.Gemm;

/// <summary>
/// GEMM in managed code: packed panels and a register-blocked micro-kernel (<see cref="PackedGemm{TK}"/>) at the
/// widest vector the CPU accelerates (Vector512, else Vector256, else Vector128). The fallback when OpenBLAS is
/// absent, and its cross-check. With <see cref="Threads"/> = 2 a large GEMM is cut into two column (else row) blocks
/// run as <see cref="ParallelChunks"/> (the op worker takes one when it is free); each C element is computed in the
/// same k order either way, so the result is bitwise the same for 1 and 2 threads.
/// </summary>
public sealed unsafe class ManagedGemm : IGemm
{
    // Below this many multiply-adds handing a block to the worker costs more than the second core saves.
    private const long SplitThreshold = 1L << 20;

    private int _threads = 1;

    /// <param name="vectorBits">512, 256 or 128 to force a width (tests, benchmarks); null for the widest accelerated.</param>
    public ManagedGemm(int? vectorBits = null)
    {
        var widest = Vector512.IsHardwareAccelerated ? 512 : Vector256.IsHardwareAccelerated ? 256 : 128;
        VectorBits = vectorBits ?? widest;
        if (VectorBits is not (512 or 256 or 128) || VectorBits > widest)
            throw new ArgumentOutOfRangeException(nameof(vectorBits), $"Vector width {vectorBits} is not available; this CPU accelerates up to {widest} bits.");
        (MR, NR) = VectorBits switch
        {
            512 => (Kernel12x2<Vector512<float>, Simd512>.MR, Kernel12x2<Vector512<float>, Simd512>.NR),
            256 => (Kernel6x2<Vector256<float>, Simd256>.MR, Kernel6x2<Vector256<float>, Simd256>.NR),
            _ when AdvSimd.Arm64.IsSupported => (Kernel12x2<Vector128<float>, Simd128>.MR, Kernel12x2<Vector128<float>, Simd128>.NR),
            _ => (Kernel6x2<Vector128<float>, Simd128>.MR, Kernel6x2<Vector128<float>, Simd128>.NR),
        };
    }

    public int VectorBits { get; }

    /// <summary>Micro-tile rows and columns.</summary>
    public int MR { get; }

    public int NR { get; }

    public string Name => $"managed (Vector{VectorBits}{(VectorBits == 128 && !Vector128.IsHardwareAccelerated ? " emulated" : "")}, {MR}x{NR} kernel)";

    /// <summary>1, or 2 to split large GEMMs with a worker thread (more is treated as 2).</summary>
    public int Threads
    {
        get => _threads;
        set => _threads = Math.Clamp(value, 1, 2);
    }

    public void Sgemm(bool transA, bool transB, int m, int n, int k, float alpha,
        ReadOnlySpan<float> a, int lda, ReadOnlySpan<float> b, int ldb, float beta, Span<float> c, int ldc)
    {
        if (GemmArgs.Trivial(transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)) return;
        fixed (float* pa = a)
        fixed (float* pb = b)
        fixed (float* pc = c)
        {
            var g = new GemmProblem(transA, transB, k, alpha, pa, lda, pb, ldb, beta, pc, ldc);
            switch (VectorBits)
            {
                case 512: Run<Kernel12x2<Vector512<float>, Simd512>>(g, m, n); break;
                case 256: Run<Kernel6x2<Vector256<float>, Simd256>>(g, m, n); break;
                default:
                    if (AdvSimd.Arm64.IsSupported) Run<Kernel12x2<Vector128<float>, Simd128>>(g, m, n);
                    else Run<Kernel6x2<Vector128<float>, Simd128>>(g, m, n);
                    break;
            }
        }
    }

    private void Run<TK>(in GemmProblem g, int m, int n) where TK : struct, IMicroKernel
    {
        if (_threads > 1 && (long)m * n * g.K >= SplitThreshold)
        {
            // Split points on tile boundaries (see PackedGemm): columns when there are two column tiles, else rows.
            var nSplit = (n + 1) / 2 / TK.NR * TK.NR;
            var mSplit = (m + 1) / 2 / TK.MR * TK.MR;
            if (nSplit > 0) { SplitJob<TK>.Run(g, (0, m, 0, nSplit), (0, m, nSplit, n)); return; }
            if (mSplit > 0) { SplitJob<TK>.Run(g, (0, mSplit, 0, n), (mSplit, m, 0, n)); return; }
        }
        PackedGemm<TK>.Run(in g, 0, m, 0, n);
    }

    /// <summary>The two blocks of a split product, reused per calling thread and kernel (no allocation per call).</summary>
    private sealed class SplitJob<TK> : IChunkJob where TK : struct, IMicroKernel
    {
        [ThreadStatic] private static SplitJob<TK>? _cached;
        private GemmProblem _problem;
        private (int I0, int I1, int J0, int J1) _first, _second;

        public static void Run(in GemmProblem g, (int, int, int, int) first, (int, int, int, int) second)
        {
            var job = _cached ??= new SplitJob<TK>();
            (job._problem, job._first, job._second) = (g, first, second);
            ParallelChunks.Run(job, 2);
        }

        public void RunChunk(int chunk, int participant)
        {
            var r = chunk == 0 ? _first : _second;
            PackedGemm<TK>.Run(in _problem, r.I0, r.I1, r.J0, r.J1);
        }
    }
}
