using AsymNet.Experiments.Lmc;

namespace AsymNet.Experiments.Sweep;

/// <summary>What the user asked for (`asym sweep` options); null fields take the scale's value (see <see cref="SweepRecipe.Resolve"/>).</summary>
public sealed record SweepConfig
{
    /// <summary>mlp or resnet20; null: quick mlp (embedded MNIST, minutes), paper resnet20 (Figure 6).</summary>
    public string? Model { get; init; }
    public SweepKind Kind { get; init; } = SweepKind.W;
    public LmcScale Scale { get; init; } = LmcScale.Quick;
    public string? Dataset { get; init; }

    /// <summary>A grid spec (see <see cref="SweepGrid.Parse"/>); null: the scale's grid.</summary>
    public string? Grid { get; init; }

    public int? Seeds { get; init; }

    /// <summary>Training-accuracy threshold in (0, 1].</summary>
    public double? Threshold { get; init; }

    /// <summary>The epoch cap.</summary>
    public int? Epochs { get; init; }

    /// <summary>Stop a network at the threshold (null: the kind's default; W yes, σ no).</summary>
    public bool? StopAtThreshold { get; init; }

    public int? TrainSize { get; init; }
    public int? TestSize { get; init; }
    public int Points { get; init; } = 3;
    public ulong Seed { get; init; }
}
