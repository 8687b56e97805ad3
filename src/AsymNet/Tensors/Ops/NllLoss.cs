using System.Buffers;

namespace AsymNet.Tensors.Ops;

public static partial class Ops
{
    /// <summary>Mean negative log-likelihood of log-probabilities [N, C] at integer targets.</summary>
    public static Tensor NllLoss(Tensor logProbs, ReadOnlySpan<int> targets)
    {
        var (n, c) = CheckClassification(logProbs, targets, nameof(NllLoss));
        var lp = logProbs.Span;
        var total = 0.0;
        for (var i = 0; i < n; i++) total -= lp[i * c + targets[i]];
        var loss = Tensor.Scalar((float)(total / n));
        if (Autograd.NeedsGrad(logProbs))
        {
            var saved = CopyTargets(targets);
            Autograd.Record(loss, [logProbs], g =>
            {
                var gx = Tensor.Zeros(logProbs.Shape);
                var v = -g.Span[0] / n;
                for (var i = 0; i < n; i++) gx.Span[i * c + saved[i]] = v;
                ArrayPool<int>.Shared.Return(saved);
                Autograd.AccumulateOwned(logProbs, gx);
            });
        }
        return loss;
    }

    /// <summary>Checks scores [N, C] against N targets in [0, C) and returns (N, C).</summary>
    private static (int N, int C) CheckClassification(Tensor scores, ReadOnlySpan<int> targets, string op)
    {
        if (scores.Rank != 2)
            throw new ArgumentException($"{op} needs scores of shape [N, C], got {ShapeUtil.Format(scores.Shape)}.");
        var (n, c) = (scores.Shape[0], scores.Shape[1]);
        if (targets.Length != n)
            throw new ArgumentException($"{op}: {targets.Length} targets for {n} rows.");
        for (var i = 0; i < n; i++)
            if ((uint)targets[i] >= (uint)c)
                throw new ArgumentOutOfRangeException(nameof(targets), $"{op}: target {targets[i]} at row {i} is outside [0, {c}).");
        return (n, c);
    }

    /// <summary>The targets in a pooled array for a backward closure, which returns it.</summary>
    private static int[] CopyTargets(ReadOnlySpan<int> targets)
    {
        var saved = ArrayPool<int>.Shared.Rent(targets.Length);
        targets.CopyTo(saved);
        return saved;
    }
}
