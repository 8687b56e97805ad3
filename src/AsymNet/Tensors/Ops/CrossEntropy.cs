using System.Buffers;
using System.Numerics.Tensors;

namespace AsymNet.Tensors.Ops;

public static partial class Ops
{
    /// <summary>
    /// Mean cross-entropy of logits [N, C] against integer targets, with PyTorch's label smoothing ε:
    /// loss = mean over rows of (1 − ε)·(−log p_target) + ε·mean_c(−log p_c).
    /// </summary>
    public static Tensor CrossEntropy(Tensor logits, ReadOnlySpan<int> targets, float labelSmoothing = 0f)
    {
        var (n, c) = CheckClassification(logits, targets, nameof(CrossEntropy));
        if (!(labelSmoothing >= 0f && labelSmoothing <= 1f))
            throw new ArgumentOutOfRangeException(nameof(labelSmoothing), $"Label smoothing must be in [0, 1], got {labelSmoothing}.");
        var eps = labelSmoothing;
        var logp = Tensor.Empty(n, c);
        SoftmaxForward(logits.Span, new DimLayout(n, c, 1), logp.Span, log: true);
        var lp = logp.Span;
        var total = 0.0;
        for (var i = 0; i < n; i++)
        {
            var row = lp.Slice(i * c, c);
            var nll = -(double)row[targets[i]];
            var uniform = eps == 0f ? 0.0 : -(double)TensorPrimitives.Sum(row) / c;
            total += (1 - eps) * nll + eps * uniform;
        }
        var loss = Tensor.Scalar((float)(total / n));
        if (Autograd.NeedsGrad(logits))
        {
            var saved = CopyTargets(targets);
            Autograd.Record(loss, [logits], g =>
            {
                // ∂loss/∂z = (softmax − (1 − ε)·onehot − ε/C) / N.
                var gx = Tensor.Empty(n, c);
                var scale = g.Span[0] / n;
                for (var i = 0; i < n; i++)
                {
                    var gRow = gx.Span.Slice(i * c, c);
                    TensorPrimitives.Exp(logp.Span.Slice(i * c, c), gRow);
                    if (eps != 0f) TensorPrimitives.Add(gRow, -eps / c, gRow);
                    gRow[saved[i]] -= 1f - eps;
                    TensorPrimitives.Multiply(gRow, scale, gRow);
                }
                ArrayPool<int>.Shared.Return(saved);
                Autograd.AccumulateOwned(logits, gx);
            });
        }
        return loss;
    }
}
