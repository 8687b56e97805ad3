using System.Text.Json;
using AsymNet.Data;
using AsymNet.NN.Models;
using AsymNet.Symmetry.Interpolation;

namespace AsymNet.Experiments.Lmc;

/// <summary>One trained network of a pair: its seeds, how training ended, and its test metrics.</summary>
public sealed record LmcNetworkResult
{
    public required ulong InitSeed { get; init; }
    public required ulong DataSeed { get; init; }
    public required bool Diverged { get; init; }

    /// <summary>Why training stopped early (non-finite loss), when it did.</summary>
    public string? DivergenceReason { get; init; }

    public required double FinalTrainLoss { get; init; }

    /// <summary>Every epoch's training loss and accuracy (graphs: also validation accuracy); null in older pair files.</summary>
    public IReadOnlyList<LmcEpochProgress>? Epochs { get; init; }
    public required double TestLoss { get; init; }
    public required double TestAccuracy { get; init; }
    public required double Seconds { get; init; }
}

/// <summary>One interpolation curve of a pair and its barriers.</summary>
public sealed record LmcCurveResult
{
    public required LmcVariant Variant { get; init; }
    public required IReadOnlyList<LmcPoint> Points { get; init; }
    public required double MidpointBarrier { get; init; }
    public required double MaxBarrier { get; init; }
    public required double MaxLoss { get; init; }
    public required double MidpointAccuracyDrop { get; init; }

    /// <summary>Paper Appendix A: ‖θ1 − θ2‖₂ over the whole state dict divided by the trainable parameters, between the
    /// curve's endpoints (null in pair files written before it was recorded).</summary>
    public double? DistancePerParameter { get; init; }

    /// <summary>For re-basin: the alignment's objective before and after, and what it reports.</summary>
    public string? Alignment { get; init; }

    public LmcCurve Curve => new(Points);

    public static LmcCurveResult From(LmcVariant variant, LmcCurve curve, string? alignment = null) => new()
    {
        Variant = variant,
        Points = curve.Points,
        MidpointBarrier = curve.MidpointBarrier,
        MaxBarrier = curve.MaxBarrier,
        MaxLoss = curve.MaxLoss,
        MidpointAccuracyDrop = curve.MidpointAccuracyDrop,
        Alignment = alignment,
    };
}

/// <summary>
/// The finished job (pair index, kind of network): both networks and every curve computed from them (the standard
/// pair yields the standard and the re-basin curve). Written atomically as pairs/&lt;family&gt;-&lt;pair&gt;.json; its
/// presence is what makes a rerun skip the job. A pair with a diverged network has no curves.
/// </summary>
public sealed record LmcPairResult
{
    public required int Pair { get; init; }
    public required Variant Family { get; init; }
    public required ulong ArchitectureSeed { get; init; }
    public required IReadOnlyList<LmcNetworkResult> Networks { get; init; }
    public required IReadOnlyList<LmcCurveResult> Curves { get; init; }
    public required double Seconds { get; init; }

    public bool Diverged => Networks.Any(n => n.Diverged);

    public static string FileName(int pair, Variant family) => $"{family.ToString().ToLowerInvariant()}-{pair:D3}.json";
}
