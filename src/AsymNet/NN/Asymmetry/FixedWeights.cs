using TensorPrimitives = System.Numerics.Tensors.TensorPrimitives;
using AsymNet.Tensors;
using AsymNet.Tensors.Ops;

namespace AsymNet.NN.Asymmetry;

/// <summary>
/// The fixed part of a W-Asymmetric weight: mask M (1 = trainable) and F ~ N(0, 1), both a pure function of
/// (architecture seed, layer name), and κ. The effective weight W' = M⊙W + (1−M)⊙κF is computed functionally on
/// every forward pass, so the raw W's fixed entries never influence the output and receive no gradient.
/// </summary>
public sealed class FixedWeights
{
    public FixedWeights(int[] weightShape, LayerAsymmetry spec, ulong architectureSeed, string layerName)
    {
        if (spec.Kind is not (AsymmetryKind.FixedEntries or AsymmetryKind.FixedInputFilters))
            throw new ArgumentException($"Layer '{layerName}': {spec.Kind} is not a weight asymmetry.");
        Spec = spec;
        Kappa = (float)spec.Kappa;
        (Mask, Report) = MaskBuilder.Build(weightShape, spec.Kind, spec.Nfix, Rng.ForKey(architectureSeed, layerName + "/mask"));
        F = Tensor.Persistent(weightShape);
        Rng.ForKey(architectureSeed, layerName + "/F").FillNormal(F.Span);
    }

    public LayerAsymmetry Spec { get; }
    public float Kappa { get; }

    /// <summary>The "mask" buffer (the model owns it; a loaded state dict may replace its values).</summary>
    public Tensor Mask { get; }

    /// <summary>The "normal_mask" buffer: unscaled standard-normal draws, as in the authors' code.</summary>
    public Tensor F { get; }

    /// <summary>Row structure of the mask as built (a loaded mask is described by <see cref="CurrentRowsDistinct"/>).</summary>
    public MaskReport Report { get; }

    /// <summary>Number of fixed entries (zeros of the current mask).</summary>
    public long FixedCount()
    {
        long n = 0;
        foreach (var m in Mask.Span) if (m == 0f) n++;
        return n;
    }

    /// <summary>Whether the current mask's rows are pairwise distinct (also for masks loaded from a checkpoint).</summary>
    public bool CurrentRowsDistinct() =>
        MaskBuilder.CountDistinctRows(Mask.Span, Mask.Shape[0], Mask.Length / Mask.Shape[0]) == Mask.Shape[0];

    /// <summary>W' = M⊙W + (1−M)⊙κF; differentiable in W, with gradient M⊙g.</summary>
    public Tensor Effective(Tensor w) => Ops.FixedBlend(w, Mask, F, Kappa);

    /// <summary>(1−M)⊙κF as a scope-owned constant.</summary>
    public Tensor FixedValues()
    {
        var c = Tensor.Empty(F.Shape);
        var dst = c.Span;
        TensorPrimitives.Multiply(Mask.Span, F.Span, dst);
        TensorPrimitives.Subtract(F.Span, dst, dst);
        TensorPrimitives.Multiply(dst, Kappa, dst);
        return c;
    }

    /// <summary>Writes κF into the fixed entries of a raw weight, so a stored W equals W' (the authors' convention).</summary>
    public void WriteFixedValuesInto(Tensor w)
    {
        var ws = w.Span;
        var m = Mask.Span;
        var f = F.Span;
        for (var i = 0; i < ws.Length; i++)
            if (m[i] == 0f) ws[i] = Kappa * f[i];
    }
}
