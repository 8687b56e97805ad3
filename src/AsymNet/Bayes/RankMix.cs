using AsymNet.Tensors;
using TensorPrimitives = System.Numerics.Tensors.TensorPrimitives;

namespace AsymNet.Bayes;

/// <summary>
/// y[b, m] = scale · Σ_r ε[b, r] · z[b, r, m]: the low-rank output noise of one example, the input pushed through each
/// of the rank directions V_r (z) and mixed with that example's own ε (a per-example weight perturbation
/// scale·Σ_r ε_r V_r). z is [B, rank, M] in the consistent layout: rank-major, each direction's M outputs contiguous.
/// </summary>
public static class RankMix
{
    public static Tensor Apply(Tensor z, Tensor eps, float scale)
    {
        var (b, rank) = (eps.Shape[0], eps.Shape[1]);
        if (z.Length % (b * Math.Max(1, rank)) != 0 || z.Shape[0] != b)
            throw new ArgumentException($"RankMix: z {ShapeUtil.Format(z.Shape)} does not fit ε {ShapeUtil.Format(eps.Shape)}.");
        var m = z.Length / (b * rank);
        var y = Tensor.Zeros(b, m);
        var zs = z.Span;
        var es = eps.Span;
        var ys = y.Span;
        for (var i = 0; i < b; i++)
            for (var r = 0; r < rank; r++)
                TensorPrimitives.MultiplyAdd(zs.Slice((i * rank + r) * m, m), scale * es[i * rank + r], ys.Slice(i * m, m), ys.Slice(i * m, m));
        if (Autograd.NeedsGrad(z))
            Autograd.Record(y, [z], g =>
            {
                var gz = Tensor.Empty(z.Shape);
                var gs = g.Span;
                var gzs = gz.Span;
                var e = eps.Span;
                for (var i = 0; i < b; i++)
                    for (var r = 0; r < rank; r++)
                        TensorPrimitives.Multiply(gs.Slice(i * m, m), scale * e[i * rank + r], gzs.Slice((i * rank + r) * m, m));
                Autograd.AccumulateOwned(z, gz);
            });
        return y;
    }
}
