using System.Numerics.Tensors;

namespace AsymNet.Tensors.Ops;

public static partial class Ops
{
    /// <summary>
    /// Inverted dropout: zero with probability p, scale survivors by 1/(1−p); identity (the same tensor) when not
    /// training or p = 0. Each element draws 32 bits from <paramref name="rng"/> (two per NextUInt64, low half first)
    /// and is dropped when they fall below p·2³², so the mask depends only on the generator's state.
    /// </summary>
    public static Tensor Dropout(Tensor x, float p, Rng rng, bool training)
    {
        if (!(p >= 0f && p <= 1f)) throw new ArgumentOutOfRangeException(nameof(p), $"Dropout probability must be in [0, 1], got {p}.");
        if (!training || p == 0f) return x;
        var mask = Tensor.Empty(x.Shape);
        FillDropoutMask(mask.Span, p, rng);
        var y = Tensor.Empty(x.Shape);
        TensorPrimitives.Multiply(x.Span, mask.Span, y.Span);
        if (Autograd.NeedsGrad(x))
            Autograd.Record(y, [x], g =>
            {
                var gx = Tensor.Empty(x.Shape);
                TensorPrimitives.Multiply(g.Span, mask.Span, gx.Span);
                Autograd.AccumulateOwned(x, gx);
            });
        return y;
    }

    /// <summary>mask[i] = 0 with probability p, else 1/(1 − p) (all zeros for p = 1).</summary>
    private static void FillDropoutMask(Span<float> mask, float p, Rng rng)
    {
        var threshold = (ulong)Math.Min(p * 4294967296.0, uint.MaxValue + 1.0);
        var keep = p == 1f ? 0f : 1f / (1f - p);
        for (var i = 0; i < mask.Length; i += 2)
        {
            var bits = rng.NextUInt64();
            mask[i] = (bits & 0xFFFFFFFFUL) < threshold ? 0f : keep;
            if (i + 1 < mask.Length) mask[i + 1] = (bits >> 32) < threshold ? 0f : keep;
        }
    }
}
