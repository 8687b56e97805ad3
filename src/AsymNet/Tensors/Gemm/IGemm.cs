namespace AsymNet.Tensors.Gemm;

/// <summary>
/// Single-precision GEMM on row-major matrices: C = alpha·op(A)·op(B) + beta·C, op(X) = X or Xᵀ.
/// op(A) is m×k, op(B) is k×n, C is m×n; lda/ldb/ldc are row strides of the stored (untransposed) arrays.
/// beta = 0 means C is write-only (NaN or garbage in C is ignored), as in the reference BLAS.
/// </summary>
public interface IGemm
{
    /// <summary>Name for logs and manifests, e.g. "openblas 0.3.21 (SkylakeX)" or "managed (Vector512)".</summary>
    string Name { get; }

    /// <summary>
    /// Threads one Sgemm call may use (≥ 1). Set by <see cref="ThreadingPolicy"/> at start-up; a provider clamps
    /// it to what it supports.
    /// </summary>
    int Threads { get; set; }

    void Sgemm(bool transA, bool transB, int m, int n, int k, float alpha,
        ReadOnlySpan<float> a, int lda, ReadOnlySpan<float> b, int ldb, float beta, Span<float> c, int ldc);
}
