namespace AsymNet.Tensors.Ops;

public static partial class Ops
{
    /// <summary>
    /// W' = M⊙W + (1−M)⊙κF, the effective weight of a W-Asymmetric layer (M: 1 = trainable, F: fixed values), in one
    /// pass over memory; differentiable in W with gradient M⊙g (M and F are constants). Each element is rounded exactly
    /// as the composition Add(Mul(W, M), (F − M⊙F)·κ) rounds it, so results are bit for bit those of the unfused form.
    /// On a 512×512 weight the composition made six tensors and fifteen passes over memory per forward. When W masks its
    /// own gradient with the same M (<see cref="Tensor.SetGradMask"/>), the gradient is masked once, not twice.
    /// </summary>
    public static Tensor FixedBlend(Tensor w, Tensor mask, Tensor f, float kappa)
    {
        if (!ShapeUtil.SameShape(w.Shape, mask.Shape) || !ShapeUtil.SameShape(w.Shape, f.Shape))
            throw new ArgumentException($"FixedBlend: weight {ShapeUtil.Format(w.Shape)}, mask {ShapeUtil.Format(mask.Shape)} and fixed values {ShapeUtil.Format(f.Shape)} must have one shape.");
        var y = Tensor.Empty(w.Shape);
        SimdMap.Map(new FixedBlendForward(kappa), w.Span, mask.Span, f.Span, y.Span);
        if (Autograd.NeedsGrad(w))
            Autograd.Record(y, [w], g =>
            {
                // A weight masked by this very mask on accumulation (W-Asymmetric layers) takes g as it is: the
                // accumulation multiplies by M once, in the same pass as the addition.
                if (ReferenceEquals(w.GradMask, mask))
                {
                    Autograd.Accumulate(w, g);
                    return;
                }
                var gw = Tensor.Empty(w.Shape);
                System.Numerics.Tensors.TensorPrimitives.Multiply(g.Span, mask.Span, gw.Span);
                Autograd.AccumulateOwned(w, gw);
            });
        return y;
    }

    /// <summary>w·m + (f − m·f)·κ, operation by operation (no contraction into fused multiply-adds).</summary>
    private readonly struct FixedBlendForward(float kappa) : ITernaryKernel
    {
        public T Invoke<T>(T w, T m, T f) where T : struct, IFloatVector<T> => w * m + (f - m * f) * T.Create(kappa);
    }
}
