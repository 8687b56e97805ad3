namespace AsymNet.Experiments.Sweep;

/// <summary>One epoch of one network: training loss and accuracy (the fraction of the epoch's training examples
/// classified correctly as the network trained on them, augmentation included) and the learning rate.</summary>
public sealed record SweepEpoch(int Epoch, double TrainLoss, double TrainAccuracy, double LearningRate);

/// <summary>One network of a cell: seeds, its epochs, the first epoch at the threshold (null: not within the cap), test metrics.</summary>
public sealed record SweepNetworkResult
{
    public required int SeedIndex { get; init; }
    public required ulong InitSeed { get; init; }
    public required ulong DataSeed { get; init; }
    public required IReadOnlyList<SweepEpoch> Epochs { get; init; }
    public int? EpochsToThreshold { get; init; }
    public required bool Diverged { get; init; }
    public string? DivergenceReason { get; init; }
    public required double TestLoss { get; init; }
    public required double TestAccuracy { get; init; }
    public required double Seconds { get; init; }
}

/// <summary>One finished cell: its networks and the LMC midpoint barrier of the first two (null when either diverged).</summary>
public sealed record SweepCellResult
{
    public required SweepCell Cell { get; init; }
    public required long FixedEntries { get; init; }
    public required long TrainableParameters { get; init; }
    public required IReadOnlyList<SweepNetworkResult> Networks { get; init; }
    public double? MidpointBarrier { get; init; }
    public double? MidpointAccuracy { get; init; }
    public double? DistancePerParameter { get; init; }
    public required double Seconds { get; init; }

    public bool Diverged => Networks.Any(n => n.Diverged);
}
