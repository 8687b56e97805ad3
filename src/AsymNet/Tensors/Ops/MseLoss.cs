using System.Numerics.Tensors;

namespace AsymNet.Tensors.Ops;

public static partial class Ops
{
    /// <summary>Mean squared error, mean over all elements; both tensors must have the same shape.</summary>
    public static Tensor MseLoss(Tensor prediction, Tensor target)
    {
        if (!ShapeUtil.SameShape(prediction.Shape, target.Shape))
            throw new ArgumentException($"MseLoss shapes differ: {ShapeUtil.Format(prediction.Shape)} vs {ShapeUtil.Format(target.Shape)}.");
        var diff = Tensor.Empty(prediction.Shape);
        TensorPrimitives.Subtract(prediction.Span, target.Span, diff.Span);
        var n = prediction.Length;
        var loss = Tensor.Scalar(TensorPrimitives.SumOfSquares<float>(diff.Span) / n);
        if (Autograd.NeedsGrad(prediction, target))
            Autograd.Record(loss, [prediction, target], g =>
            {
                // ∂/∂prediction = 2·(prediction − target)·g/n; ∂/∂target is its negation.
                var gp = Tensor.Empty(prediction.Shape);
                TensorPrimitives.Multiply(diff.Span, 2f * g.Span[0] / n, gp.Span);
                if (target.RequiresGrad)
                {
                    var gt = Tensor.Empty(target.Shape);
                    TensorPrimitives.Negate(gp.Span, gt.Span);
                    Autograd.AccumulateOwned(target, gt);
                }
                if (prediction.RequiresGrad) Autograd.AccumulateOwned(prediction, gp);
            });
        return loss;
    }
}
