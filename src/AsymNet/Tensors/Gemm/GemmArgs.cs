namespace AsymNet.Tensors.Gemm;

/// <summary>
/// Argument checks shared by every <see cref="IGemm"/>: a native BLAS would read or write past a span that is too
/// short, so the bounds are checked in managed code before any pointer is taken.
/// </summary>
internal static class GemmArgs
{
    /// <summary>
    /// Validates the arguments and finishes the calls that need no product (m or n = 0; k = 0 or alpha = 0, where
    /// C = beta·C; cblas would also reject lda = 0 there). True when the call is done.
    /// </summary>
    public static bool Trivial(bool transA, bool transB, int m, int n, int k, float alpha,
        ReadOnlySpan<float> a, int lda, ReadOnlySpan<float> b, int ldb, float beta, Span<float> c, int ldc)
    {
        Validate(transA, transB, m, n, k, a.Length, lda, b.Length, ldb, c.Length, ldc);
        if (m == 0 || n == 0) return true;
        if (k != 0 && alpha != 0f) return false;
        ScaleC(m, n, beta, c, ldc);
        return true;
    }

    private static void Validate(bool transA, bool transB, int m, int n, int k,
        int aLength, int lda, int bLength, int ldb, int cLength, int ldc)
    {
        if (m < 0 || n < 0 || k < 0)
            throw new ArgumentOutOfRangeException(nameof(m), $"Sgemm: negative size m={m}, n={n}, k={k}.");
        Check("A", transA ? k : m, transA ? m : k, aLength, lda);
        Check("B", transB ? n : k, transB ? k : n, bLength, ldb);
        Check("C", m, n, cLength, ldc);
    }

    private static void Check(string name, int rows, int cols, int length, int ld)
    {
        if (rows == 0 || cols == 0) return;
        if (ld < cols)
            throw new ArgumentException($"Sgemm: leading dimension of {name} is {ld}, smaller than its {cols} columns.");
        var need = (long)(rows - 1) * ld + cols;
        if (length < need)
            throw new ArgumentException($"Sgemm: {name} holds {length} floats, a {rows}×{cols} matrix with stride {ld} needs {need}.");
    }

    /// <summary>C = beta·C over the m×n block (beta = 0 writes zeros, ignoring what C held).</summary>
    private static void ScaleC(int m, int n, float beta, Span<float> c, int ldc)
    {
        if (beta == 1f) return;
        for (var i = 0; i < m; i++)
        {
            var row = c.Slice(i * ldc, n);
            if (beta == 0f) row.Clear();
            else System.Numerics.Tensors.TensorPrimitives.Multiply(row, beta, row);
        }
    }
}
