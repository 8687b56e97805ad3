namespace AsymNet.Tensors.Ops;

public static partial class Ops
{
    /// <summary>Batch norm of [N, C] or [N, C, L] or [N, C, H, W]. Training: batch statistics, running stats updated in place with momentum (null = cumulative average, counted by numBatchesTracked). Eval: running stats.</summary>
    public static Tensor BatchNorm(Tensor x, Tensor runningMean, Tensor runningVar, Tensor? weight, Tensor? bias, bool training, float? momentum, float eps, ref long numBatchesTracked) =>
        throw new NotImplementedException("BatchNorm");
}
