using AsymNet.NN.Optim.Schedules;

namespace AsymNet.NN.Training;

/// <summary>How <see cref="Trainer"/> trains: epochs, base learning rate with its schedule, label smoothing.</summary>
public sealed record TrainOptions
{
    public int Epochs { get; init; } = 1;

    /// <summary>The epoch training starts at (0-based; a resumed run starts after its last finished epoch), so the
    /// schedule continues where it was.</summary>
    public int FirstEpoch { get; init; }

    /// <summary>Base learning rate; the optimizer's rate is this times the schedule's factor at every step.</summary>
    public double LearningRate { get; init; } = 1e-3;

    public LrSchedule Schedule { get; init; } = new ConstantLr();

    /// <summary>PyTorch's label smoothing ε of the training loss (evaluation always uses plain cross-entropy).</summary>
    public float LabelSmoothing { get; init; }
}

/// <summary>Where training stands, reported after every step and evaluation batch (a struct: reporting allocates nothing).</summary>
public readonly record struct TrainingProgress(
    TrainingPhase Phase, int Epoch, int Epochs, int Step, int Steps, double RunningLoss, double RunningAccuracy);

public enum TrainingPhase
{
    Train,
    Evaluate,
}

/// <summary>One epoch's numbers. Test values are NaN when no evaluation set was given.</summary>
public sealed record EpochMetrics(
    int Epoch,
    double TrainLoss,
    double TrainAccuracy,
    double TestLoss,
    double TestAccuracy,
    double LearningRate,
    double TrainSeconds,
    double EvalSeconds,
    int Samples)
{
    /// <summary>Training throughput of the epoch (evaluation excluded).</summary>
    public double SamplesPerSecond => TrainSeconds > 0 ? Samples / TrainSeconds : 0;
}

public enum TrainStatus
{
    Completed,

    /// <summary>The loss became NaN or infinite; training stopped before applying that step.</summary>
    Diverged,

    Cancelled,
}

/// <summary>The outcome of <see cref="Trainer.Fit"/>: completed epochs, and why training ended.</summary>
public sealed record TrainResult(
    TrainStatus Status,
    IReadOnlyList<EpochMetrics> Epochs,
    double WallSeconds,
    long Steps,
    string? Message)
{
    public EpochMetrics? Last => Epochs.Count > 0 ? Epochs[^1] : null;

    /// <summary>Training samples per second over all completed epochs (evaluation excluded).</summary>
    public double SamplesPerSecond
    {
        get
        {
            var seconds = Epochs.Sum(e => e.TrainSeconds);
            return seconds > 0 ? Epochs.Sum(e => (double)e.Samples) / seconds : 0;
        }
    }
}

/// <summary>Mean cross-entropy and accuracy over a dataset.</summary>
public sealed record EvalResult(double Loss, double Accuracy, int Count, double Seconds);
