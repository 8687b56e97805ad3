using System.Runtime.CompilerServices;

namespace AsymNet.Tensors.Gemm;

/// <summary>One Sgemm call's operands as raw pointers (the spans are pinned by the caller for the whole call).</summary>
internal readonly unsafe struct GemmProblem(
    bool transA, bool transB, int k, float alpha, float* a, int lda, float* b, int ldb, float beta, float* c, int ldc)
{
    public readonly bool TransA = transA, TransB = transB;
    public readonly int K = k, Lda = lda, Ldb = ldb, Ldc = ldc;
    public readonly float Alpha = alpha, Beta = beta;
    public readonly float* A = a, B = b, C = c;
}

/// <summary>
/// The blocked GEMM loop nest around one micro-kernel (the GotoBLAS/BLIS scheme): for each NC-wide column block of
/// C and each KC-deep slice of k, pack that slice of B into NR-wide panels (kept in L3/L2); for each MC-high row
/// block, pack A into MR-high panels (kept in L2); then run the micro-kernel over every MR×NR tile. Edge tiles are
/// computed on zero-padded panels into a scratch tile and merged. A C element's value depends only on k, KC and
/// its own row and column, never on the region a thread was given, so any split that starts at a multiple of MR
/// (rows) or NR (columns) gives bitwise the same C.
/// </summary>
internal static unsafe class PackedGemm<TK> where TK : struct, IMicroKernel
{
    // Blocking, in floats. Measured on the AMD EPYC of these machines (48 KB L1d, 1 MB L2 per core) with
    // single-threaded 2048³: KC 256 → 176, 384 → 196, 512 → 211 GFLOP/s (768 and 1024 no better); MC between 96
    // and 384 and NC ≥ 2048 within noise. KC·MR·4 = 24 KB (one A panel) stays in L1, MC·KC·4 = 384 KB (packed A)
    // in L2, KC·NC·4 = 4 MB (packed B) in L3.
    internal static int KC = 512;
    internal static int MC = RoundUp(192, TK.MR);
    internal static int NC = RoundUp(2048, TK.NR);

    [ThreadStatic] private static float[]? _buffer;

    private static int RoundUp(int x, int to) => (x + to - 1) / to * to;

    /// <summary>C[i0..i1, j0..j1] of the problem; i0 a multiple of MR, j0 a multiple of NR.</summary>
    // Straight to optimised code: a training step's GEMMs should not start in the unoptimised tier.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Run(in GemmProblem g, int i0, int i1, int j0, int j1)
    {
        int mr = TK.MR, nr = TK.NR, kcMax = KC, mcMax = MC, ncMax = NC;
        var aFloats = mcMax * kcMax;
        var need = aFloats + kcMax * ncMax + 16;
        var buffer = _buffer;
        if (buffer is null || buffer.Length < need) _buffer = buffer = GC.AllocateUninitializedArray<float>(need, pinned: true);
        var tile = stackalloc float[mr * nr];
        fixed (float* raw = buffer)
        {
            // 64-byte alignment, so no packed B vector load splits a cache line.
            var ap = (float*)(((nint)raw + 63) & ~(nint)63);
            var bp = ap + aFloats;
            for (var jc = j0; jc < j1; jc += ncMax)
            {
                var nc = Math.Min(ncMax, j1 - jc);
                for (var pc = 0; pc < g.K; pc += kcMax)
                {
                    var kc = Math.Min(kcMax, g.K - pc);
                    var beta = pc == 0 ? g.Beta : 1f;
                    // B(p, j) is b[j·ldb + p] when transposed, else b[p·ldb + j].
                    var bSrc = g.TransB ? g.B + (long)jc * g.Ldb + pc : g.B + (long)pc * g.Ldb + jc;
                    GemmPacking.Panels(bSrc, g.TransB ? g.Ldb : 1, g.TransB ? 1 : g.Ldb, nc, kc, nr, bp);
                    for (var ic = i0; ic < i1; ic += mcMax)
                    {
                        var mc = Math.Min(mcMax, i1 - ic);
                        // A(i, p) is a[p·lda + i] when transposed, else a[i·lda + p].
                        var aSrc = g.TransA ? g.A + (long)pc * g.Lda + ic : g.A + (long)ic * g.Lda + pc;
                        GemmPacking.Panels(aSrc, g.TransA ? 1 : g.Lda, g.TransA ? g.Lda : 1, mc, kc, mr, ap);
                        Tiles(g, ap, bp, kc, mc, nc, g.C + (long)ic * g.Ldc + jc, beta, tile);
                    }
                }
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Tiles(in GemmProblem g, float* ap, float* bp, int kc, int mc, int nc, float* c, float beta, float* tile)
    {
        int mr = TK.MR, nr = TK.NR, ldc = g.Ldc;
        for (var jr = 0; jr < nc; jr += nr)
        {
            var cols = Math.Min(nr, nc - jr);
            for (var ir = 0; ir < mc; ir += mr)
            {
                var rows = Math.Min(mr, mc - ir);
                var cTile = c + (long)ir * ldc + jr;
                if (rows == mr && cols == nr)
                {
                    TK.Run(kc, ap + ir * kc, bp + jr * kc, cTile, ldc, g.Alpha, beta);
                    continue;
                }
                TK.Run(kc, ap + ir * kc, bp + jr * kc, tile, nr, 1f, 0f);
                for (var r = 0; r < rows; r++)
                {
                    var cRow = cTile + (long)r * ldc;
                    var tRow = tile + r * nr;
                    // Same formula as MicroKernel.Put, so edge and inner tiles round alike.
                    if (beta == 0f)
                        for (var j = 0; j < cols; j++) cRow[j] = g.Alpha * tRow[j];
                    else
                        for (var j = 0; j < cols; j++) cRow[j] = MathF.FusedMultiplyAdd(beta, cRow[j], g.Alpha * tRow[j]);
                }
            }
        }
    }
}
