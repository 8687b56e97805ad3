using AsymNet.Tensors;

namespace AsymNet.Bayes;

/// <summary>
/// √max(v, 1e-16)·ε: the local-reparameterisation sample of an output whose variance is v (the clamp keeps the
/// gradient finite where a receptive field sees only zeros, as the authors clamp the conv variance).
/// </summary>
public static class DiagonalNoise
{
    public const float MinVariance = 1e-16f;

    public static Tensor Sample(Tensor variance, Tensor eps)
    {
        if (variance.Length != eps.Length) throw new ArgumentException("DiagonalNoise: variance and ε differ in size.");
        var y = Tensor.Empty(variance.Shape);
        var v = variance.Span;
        var e = eps.Span;
        var ys = y.Span;
        for (var i = 0; i < ys.Length; i++) ys[i] = MathF.Sqrt(MathF.Max(v[i], MinVariance)) * e[i];
        if (Autograd.NeedsGrad(variance))
            Autograd.Record(y, [variance], g =>
            {
                // d/dv √v·ε = ε / (2√v); zero where the clamp holds.
                var gv = Tensor.Empty(variance.Shape);
                var gs = g.Span;
                var gvs = gv.Span;
                var vs = variance.Span;
                var es = eps.Span;
                for (var i = 0; i < gvs.Length; i++)
                    gvs[i] = vs[i] > MinVariance ? gs[i] * es[i] * 0.5f / MathF.Sqrt(vs[i]) : 0f;
                Autograd.AccumulateOwned(variance, gv);
            });
        return y;
    }
}
