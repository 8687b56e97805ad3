using AsymNet.Tensors;
using AsymNet.Tensors.Ops;

namespace AsymNet.NN.Layers;

/// <summary>
/// Batch norm over channel dimension 1 (PyTorch nn.BatchNorm1d/2d share this code): parameters "weight", "bias";
/// buffers "running_mean", "running_var" and "num_batches_tracked". The count is stored as a one-element float32
/// tensor (PyTorch: int64), exact up to 2^24 batches; checkpoint code converts the dtype.
/// <see cref="Momentum"/> null means a cumulative moving average, as in PyTorch.
/// </summary>
public class BatchNorm : Module
{
    private long _numBatchesTracked;

    protected BatchNorm(int features, float eps, float? momentum)
    {
        Features = features;
        Eps = eps;
        Momentum = momentum;
        Weight = RegisterParameter("weight", Tensor.FromArray(Enumerable.Repeat(1f, features).ToArray(), features));
        Bias = RegisterParameter("bias", Tensor.Persistent(features));
        RunningMean = RegisterBuffer("running_mean", Tensor.Persistent(features));
        RunningVar = RegisterBuffer("running_var", Tensor.FromArray(Enumerable.Repeat(1f, features).ToArray(), features));
        NumBatchesTrackedBuffer = RegisterBuffer("num_batches_tracked", Tensor.Persistent());
    }

    public int Features { get; }
    public float Eps { get; }
    public float? Momentum { get; set; }
    public Tensor Weight { get; }
    public Tensor Bias { get; }
    public Tensor RunningMean { get; }
    public Tensor RunningVar { get; }
    public Tensor NumBatchesTrackedBuffer { get; }
    public long NumBatchesTracked => _numBatchesTracked;

    public override Tensor Forward(Tensor x)
    {
        if (x.Rank < 2 || x.Shape[1] != Features)
            throw new ArgumentException($"{GetType().Name}({Features}) got input of shape {ShapeUtil.Format(x.Shape)}.");
        var y = Ops.BatchNorm(x, RunningMean, RunningVar, Weight, Bias, Training, Momentum, Eps, ref _numBatchesTracked);
        NumBatchesTrackedBuffer.Span[0] = _numBatchesTracked;
        return y;
    }

    /// <summary>Resets running statistics to mean 0, variance 1 and count 0 (PyTorch reset_running_stats).</summary>
    public void ResetRunningStats()
    {
        RunningMean.Span.Clear();
        RunningVar.Span.Fill(1f);
        _numBatchesTracked = 0;
        NumBatchesTrackedBuffer.Span[0] = 0;
    }

    protected override void OnStateLoaded()
    {
        _numBatchesTracked = (long)NumBatchesTrackedBuffer.Span[0];
        base.OnStateLoaded();
    }
}

/// <summary>nn.BatchNorm1d: input [N, C] or [N, C, L].</summary>
public sealed class BatchNorm1d(int features, float eps = 1e-5f, float? momentum = 0.1f) : BatchNorm(features, eps, momentum);

/// <summary>nn.BatchNorm2d: input [N, C, H, W].</summary>
public sealed class BatchNorm2d(int features, float eps = 1e-5f, float? momentum = 0.1f) : BatchNorm(features, eps, momentum);
