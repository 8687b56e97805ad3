using System.Runtime.CompilerServices;

namespace AsymNet.Tensors.Gemm;

/// <summary>
/// Copies a block of A or B into the panel layout the micro-kernels read: consecutive panels of <c>w</c> rows (A) or
/// columns (B), each stored k-major (w floats per k step), zero-padded to a full panel so that edge tiles need no
/// special kernel.
/// </summary>
internal static unsafe class GemmPacking
{
    /// <summary>
    /// dst[panel][p·w + r] = src[(r0 + r)·sr + p·sp] for r0 + r &lt; count (else 0), p &lt; kc, with r0 = panel·w.
    /// sr is the stride between the rows of a panel, sp the stride along k.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Panels(float* src, int sr, int sp, int count, int kc, int w, float* dst)
    {
        for (var r0 = 0; r0 < count; r0 += w, dst += kc * w)
        {
            var rows = Math.Min(w, count - r0);
            var s = src + (long)r0 * sr;
            if (sr == 1)
            {
                // Each k step is a contiguous run of `rows` floats (B not transposed, Aᵀ).
                for (var p = 0; p < kc; p++)
                {
                    var from = new ReadOnlySpan<float>(s + (long)p * sp, rows);
                    var to = new Span<float>(dst + p * w, w);
                    from.CopyTo(to);
                    if (rows < w) to[rows..].Clear();
                }
                continue;
            }
            for (var r = 0; r < rows; r++)
            {
                var row = s + (long)r * sr;
                var d = dst + r;
                if (sp == 1)
                    for (var p = 0; p < kc; p++) d[p * w] = row[p];
                else
                    for (var p = 0; p < kc; p++) d[p * w] = row[(long)p * sp];
            }
            if (rows < w)
                for (var p = 0; p < kc; p++) new Span<float>(dst + p * w + rows, w - rows).Clear();
        }
    }
}
