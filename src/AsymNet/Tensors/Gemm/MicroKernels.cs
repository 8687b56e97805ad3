using System.Runtime.CompilerServices;

namespace AsymNet.Tensors.Gemm;

// The register-blocked GEMM micro-kernels: an MR×NR tile of C (NR = two vectors) kept in registers while the packed
// panels of A (MR floats per k) and B (NR floats per k) stream past. Each C element is one FMA chain in k order,
// the same whatever the blocking around it, which keeps results independent of the thread split.
// 12×2 needs 24 accumulators + 3 (32 vector registers: AVX-512, Arm64 NEON); 6×2 needs 12 + 3 (16 registers: AVX2, SSE).
// The unrolled bodies were written by a generator; keep the rows uniform when editing.

/// <summary>A micro-kernel: C[0..MR, 0..NR] (row stride ldc) = alpha·(packed A panel · packed B panel) + beta·C.</summary>
internal unsafe interface IMicroKernel
{
    static abstract int MR { get; }
    static abstract int NR { get; }

    /// <summary>beta = 0 overwrites C without reading it (garbage and NaN in C are ignored).</summary>
    static abstract void Run(int kc, float* a, float* b, float* c, int ldc, float alpha, float beta);
}

internal static unsafe class MicroKernel
{
    /// <summary>One C row of two vectors: alpha·acc, or fma(beta, C, alpha·acc); <see cref="PackedGemm{TK}"/> merges edge tiles by the same formula.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Put<TV, TS>(float* c, TV acc0, TV acc1, TV alpha, TV beta, bool overwrite)
        where TV : struct where TS : struct, ISimdOps<TV>
    {
        var c1 = c + TS.Width;
        if (overwrite)
        {
            TS.Store(c, TS.Mul(alpha, acc0));
            TS.Store(c1, TS.Mul(alpha, acc1));
        }
        else
        {
            TS.Store(c, TS.Fma(beta, TS.Load(c), TS.Mul(alpha, acc0)));
            TS.Store(c1, TS.Fma(beta, TS.Load(c1), TS.Mul(alpha, acc1)));
        }
    }
}

/// <summary>12 rows × 2 vectors, for targets with 32 vector registers.</summary>
internal readonly unsafe struct Kernel12x2<TV, TS> : IMicroKernel where TV : struct where TS : struct, ISimdOps<TV>
{
    public static int MR => 12;
    public static int NR => 2 * TS.Width;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Run(int kc, float* a, float* b, float* c, int ldc, float alpha, float beta)
    {
        TV c00 = default, c01 = default, c10 = default, c11 = default, c20 = default, c21 = default, c30 = default, c31 = default, c40 = default, c41 = default, c50 = default, c51 = default, c60 = default, c61 = default, c70 = default, c71 = default, c80 = default, c81 = default, c90 = default, c91 = default, c100 = default, c101 = default, c110 = default, c111 = default;
        var w = TS.Width;
        for (var p = 0; p < kc; p++)
        {
            var b0 = TS.Load(b);
            var b1 = TS.Load(b + w);
            var a0 = TS.Splat(a[0]); c00 = TS.Fma(a0, b0, c00); c01 = TS.Fma(a0, b1, c01);
            var a1 = TS.Splat(a[1]); c10 = TS.Fma(a1, b0, c10); c11 = TS.Fma(a1, b1, c11);
            var a2 = TS.Splat(a[2]); c20 = TS.Fma(a2, b0, c20); c21 = TS.Fma(a2, b1, c21);
            var a3 = TS.Splat(a[3]); c30 = TS.Fma(a3, b0, c30); c31 = TS.Fma(a3, b1, c31);
            var a4 = TS.Splat(a[4]); c40 = TS.Fma(a4, b0, c40); c41 = TS.Fma(a4, b1, c41);
            var a5 = TS.Splat(a[5]); c50 = TS.Fma(a5, b0, c50); c51 = TS.Fma(a5, b1, c51);
            var a6 = TS.Splat(a[6]); c60 = TS.Fma(a6, b0, c60); c61 = TS.Fma(a6, b1, c61);
            var a7 = TS.Splat(a[7]); c70 = TS.Fma(a7, b0, c70); c71 = TS.Fma(a7, b1, c71);
            var a8 = TS.Splat(a[8]); c80 = TS.Fma(a8, b0, c80); c81 = TS.Fma(a8, b1, c81);
            var a9 = TS.Splat(a[9]); c90 = TS.Fma(a9, b0, c90); c91 = TS.Fma(a9, b1, c91);
            var a10 = TS.Splat(a[10]); c100 = TS.Fma(a10, b0, c100); c101 = TS.Fma(a10, b1, c101);
            var a11 = TS.Splat(a[11]); c110 = TS.Fma(a11, b0, c110); c111 = TS.Fma(a11, b1, c111);
            a += 12;
            b += 2 * w;
        }
        var va = TS.Splat(alpha);
        var vb = TS.Splat(beta);
        var overwrite = beta == 0f;
        MicroKernel.Put<TV, TS>(c + 0 * ldc, c00, c01, va, vb, overwrite);
        MicroKernel.Put<TV, TS>(c + 1 * ldc, c10, c11, va, vb, overwrite);
        MicroKernel.Put<TV, TS>(c + 2 * ldc, c20, c21, va, vb, overwrite);
        MicroKernel.Put<TV, TS>(c + 3 * ldc, c30, c31, va, vb, overwrite);
        MicroKernel.Put<TV, TS>(c + 4 * ldc, c40, c41, va, vb, overwrite);
        MicroKernel.Put<TV, TS>(c + 5 * ldc, c50, c51, va, vb, overwrite);
        MicroKernel.Put<TV, TS>(c + 6 * ldc, c60, c61, va, vb, overwrite);
        MicroKernel.Put<TV, TS>(c + 7 * ldc, c70, c71, va, vb, overwrite);
        MicroKernel.Put<TV, TS>(c + 8 * ldc, c80, c81, va, vb, overwrite);
        MicroKernel.Put<TV, TS>(c + 9 * ldc, c90, c91, va, vb, overwrite);
        MicroKernel.Put<TV, TS>(c + 10 * ldc, c100, c101, va, vb, overwrite);
        MicroKernel.Put<TV, TS>(c + 11 * ldc, c110, c111, va, vb, overwrite);
    }
}

/// <summary>6 rows × 2 vectors, for targets with 16 vector registers.</summary>
internal readonly unsafe struct Kernel6x2<TV, TS> : IMicroKernel where TV : struct where TS : struct, ISimdOps<TV>
{
    public static int MR => 6;
    public static int NR => 2 * TS.Width;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Run(int kc, float* a, float* b, float* c, int ldc, float alpha, float beta)
    {
        TV c00 = default, c01 = default, c10 = default, c11 = default, c20 = default, c21 = default, c30 = default, c31 = default, c40 = default, c41 = default, c50 = default, c51 = default;
        var w = TS.Width;
        for (var p = 0; p < kc; p++)
        {
            var b0 = TS.Load(b);
            var b1 = TS.Load(b + w);
            var a0 = TS.Splat(a[0]); c00 = TS.Fma(a0, b0, c00); c01 = TS.Fma(a0, b1, c01);
            var a1 = TS.Splat(a[1]); c10 = TS.Fma(a1, b0, c10); c11 = TS.Fma(a1, b1, c11);
            var a2 = TS.Splat(a[2]); c20 = TS.Fma(a2, b0, c20); c21 = TS.Fma(a2, b1, c21);
            var a3 = TS.Splat(a[3]); c30 = TS.Fma(a3, b0, c30); c31 = TS.Fma(a3, b1, c31);
            var a4 = TS.Splat(a[4]); c40 = TS.Fma(a4, b0, c40); c41 = TS.Fma(a4, b1, c41);
            var a5 = TS.Splat(a[5]); c50 = TS.Fma(a5, b0, c50); c51 = TS.Fma(a5, b1, c51);
            a += 6;
            b += 2 * w;
        }
        var va = TS.Splat(alpha);
        var vb = TS.Splat(beta);
        var overwrite = beta == 0f;
        MicroKernel.Put<TV, TS>(c + 0 * ldc, c00, c01, va, vb, overwrite);
        MicroKernel.Put<TV, TS>(c + 1 * ldc, c10, c11, va, vb, overwrite);
        MicroKernel.Put<TV, TS>(c + 2 * ldc, c20, c21, va, vb, overwrite);
        MicroKernel.Put<TV, TS>(c + 3 * ldc, c30, c31, va, vb, overwrite);
        MicroKernel.Put<TV, TS>(c + 4 * ldc, c40, c41, va, vb, overwrite);
        MicroKernel.Put<TV, TS>(c + 5 * ldc, c50, c51, va, vb, overwrite);
    }
}
