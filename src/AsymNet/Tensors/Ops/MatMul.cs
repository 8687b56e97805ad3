using AsymNet.Tensors.Gemm;

namespace AsymNet.Tensors.Ops;

public static partial class Ops
{
    /// <summary>
    /// op(a)·op(b) with op(X) = X or Xᵀ over the last two dimensions. 2-D × 2-D, or 3-D × 3-D with equal batch,
    /// or 3-D × 2-D (the matrix b is shared by every batch entry).
    /// </summary>
    public static Tensor MatMul(Tensor a, Tensor b, bool transA = false, bool transB = false)
    {
        if (a.Rank is not (2 or 3) || b.Rank is not (2 or 3) || (a.Rank == 2 && b.Rank == 3))
            throw new ArgumentException($"MatMul supports 2-D×2-D, 3-D×3-D and 3-D×2-D, got {ShapeUtil.Format(a.Shape)} and {ShapeUtil.Format(b.Shape)}.");
        var batch = a.Rank == 3 ? a.Shape[0] : 1;
        var sharedB = b.Rank == 2;
        if (!sharedB && b.Shape[0] != batch)
            throw new ArgumentException($"MatMul batch sizes differ: {ShapeUtil.Format(a.Shape)} and {ShapeUtil.Format(b.Shape)}.");
        var (ar, ac) = (a.Shape[^2], a.Shape[^1]);
        var (br, bc) = (b.Shape[^2], b.Shape[^1]);
        var (m, k) = transA ? (ac, ar) : (ar, ac);
        var (kb, n) = transB ? (bc, br) : (br, bc);
        if (k != kb)
            throw new ArgumentException($"MatMul inner sizes differ: {ShapeUtil.Format(a.Shape)}{(transA ? "ᵀ" : "")} · {ShapeUtil.Format(b.Shape)}{(transB ? "ᵀ" : "")}.");

        var y = a.Rank == 3 ? Tensor.Empty(batch, m, n) : Tensor.Empty(m, n);
        var (sa, sb, sy) = (ar * ac, sharedB ? 0 : br * bc, m * n);
        for (var i = 0; i < batch; i++)
            Blas.Current.Sgemm(transA, transB, m, n, k, 1f, a.Span.Slice(i * sa, sa), ac, b.Span.Slice(i * sb, br * bc), bc, 0f, y.Span.Slice(i * sy, sy), n);

        if (Autograd.NeedsGrad(a, b))
            Autograd.Record(y, [a, b], g =>
            {
                if (a.RequiresGrad)
                {
                    // dA = g·op(B)ᵀ, stored transposed when A was.
                    var ga = Tensor.Empty(a.Shape);
                    for (var i = 0; i < batch; i++)
                    {
                        var gi = g.Span.Slice(i * sy, sy);
                        var bi = b.Span.Slice(i * sb, br * bc);
                        var gai = ga.Span.Slice(i * sa, sa);
                        if (transA) Blas.Current.Sgemm(transB, true, k, m, n, 1f, bi, bc, gi, n, 0f, gai, ac);
                        else Blas.Current.Sgemm(false, !transB, m, k, n, 1f, gi, n, bi, bc, 0f, gai, ac);
                    }
                    Autograd.AccumulateOwned(a, ga);
                }
                if (b.RequiresGrad)
                {
                    // dB = op(A)ᵀ·g, summed over the batch when B is shared.
                    var gb = Tensor.Empty(b.Shape);
                    for (var i = 0; i < batch; i++)
                    {
                        var gi = g.Span.Slice(i * sy, sy);
                        var ai = a.Span.Slice(i * sa, sa);
                        var gbi = gb.Span.Slice(i * sb, br * bc);
                        var beta = sharedB && i > 0 ? 1f : 0f;
                        if (transB) Blas.Current.Sgemm(true, transA, n, k, m, 1f, gi, n, ai, ac, beta, gbi, bc);
                        else Blas.Current.Sgemm(!transA, false, k, n, m, 1f, ai, ac, gi, n, beta, gbi, bc);
                    }
                    Autograd.AccumulateOwned(b, gb);
                }
            });
        return y;
    }
}
