namespace AsymNet.Tensors.Ops;

public static partial class Ops
{
    /// <summary>Batch norm of [N, C] or [N, C, L] or [N, C, H, W]. Training: batch statistics, running stats updated in place with momentum (null = cumulative average, counted by numBatchesTracked). Eval: running stats.</summary>
    public static Tensor BatchNorm(Tensor x, Tensor runningMean, Tensor runningVar, Tensor? weight, Tensor? bias, bool training, float? momentum, float eps, ref long numBatchesTracked)
    {
        if (x.Rank < 2) throw new ArgumentException($"BatchNorm needs input [N, C, ...], got {ShapeUtil.Format(x.Shape)}.");
        var c = x.Shape[1];
        Normalization.CheckChannelParameter(runningMean, c, "BatchNorm running_mean");
        Normalization.CheckChannelParameter(runningVar, c, "BatchNorm running_var");
        Normalization.CheckChannelParameter(weight, c, "BatchNorm weight");
        Normalization.CheckChannelParameter(bias, c, "BatchNorm bias");
        var layout = new NormLayout(x.Shape[0], c, ShapeUtil.Numel(x.Shape.AsSpan(2)), 0);
        var buffer = System.Buffers.ArrayPool<double>.Shared.Rent(2 * c);
        var mean = buffer.AsSpan(0, c);
        var variance = buffer.AsSpan(c, c);
        var m = layout.StatSize;
        if (training)
        {
            if (m <= 1)
                throw new ArgumentException($"BatchNorm expects more than 1 value per channel when training, got input {ShapeUtil.Format(x.Shape)}.");
            Normalization.Statistics(x.Span, layout, mean, variance);
            // PyTorch: the count advances first, and momentum null averages cumulatively with factor 1/count.
            numBatchesTracked++;
            var f = momentum ?? 1.0 / numBatchesTracked;
            var rm = runningMean.Span;
            var rv = runningVar.Span;
            var unbias = m / (m - 1.0);
            for (var i = 0; i < c; i++)
            {
                rm[i] = (float)((1 - f) * rm[i] + f * mean[i]);
                rv[i] = (float)((1 - f) * rv[i] + f * variance[i] * unbias);
            }
        }
        else
        {
            for (var i = 0; i < c; i++)
            {
                mean[i] = runningMean.Span[i];
                variance[i] = runningVar.Span[i];
            }
        }
        var spec = new NormSpec(layout, weight, bias, eps, training ? NormStatistics.OfInput : NormStatistics.Fixed, NormEpilogue.None);
        var y = Normalization.Normalize(x, spec, mean, variance);
        System.Buffers.ArrayPool<double>.Shared.Return(buffer);
        return y;
    }
}
