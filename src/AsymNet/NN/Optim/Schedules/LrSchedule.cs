using System.Globalization;

namespace AsymNet.NN.Optim.Schedules;

/// <summary>
/// A learning-rate multiplier as a function of training progress; the trainer sets
/// lr = base lr × <see cref="Factor"/> before every optimizer step. Epoch and step are 0-based; per-epoch
/// schedules ignore the step (PyTorch schedulers stepped once per epoch), per-step ones use the global step
/// epoch·stepsPerEpoch + step (schedulers stepped once per iteration).
/// </summary>
public abstract record LrSchedule
{
    /// <summary>The multiplier for step <paramref name="step"/> of epoch <paramref name="epoch"/>.</summary>
    public abstract double Factor(int epoch, int step, int stepsPerEpoch);

    /// <summary>The spelling <see cref="Parse"/> accepts, e.g. "triangular:5".</summary>
    public abstract string Spec { get; }

    public const string Help =
        "constant | warmup:<epochs> (linear, per epoch: min((e+1)/E, 1)) | warmup-steps:<steps> (linear, per step) | " +
        "triangular:<peak epoch> (per step, 0 → 1 at the peak → 0 at the end) | geometric:<gamma>:<epochs> (per epoch: gamma^min(e, E))";

    /// <summary>Parses a schedule spec (see <see cref="Help"/>); <paramref name="totalEpochs"/> ends a triangular schedule.</summary>
    public static LrSchedule Parse(string spec, int totalEpochs)
    {
        var parts = spec.Trim().ToLowerInvariant().Split(':');
        try
        {
            return parts switch
            {
                ["constant" or "none"] => new ConstantLr(),
                ["warmup", var e] => new LinearWarmup(int.Parse(e, CultureInfo.InvariantCulture), PerStep: false),
                ["warmup-steps", var s] => new LinearWarmup(int.Parse(s, CultureInfo.InvariantCulture), PerStep: true),
                ["triangular", var p] => new TriangularLr(double.Parse(p, CultureInfo.InvariantCulture), totalEpochs),
                ["geometric", var g, var e] => new GeometricWarmup(double.Parse(g, CultureInfo.InvariantCulture), int.Parse(e, CultureInfo.InvariantCulture)),
                _ => throw new FormatException(),
            };
        }
        catch (FormatException)
        {
            throw new ArgumentException($"Unknown learning-rate schedule '{spec}'; use {Help}.");
        }
    }
}

/// <summary>No schedule: factor 1.</summary>
public sealed record ConstantLr : LrSchedule
{
    public override double Factor(int epoch, int step, int stepsPerEpoch) => 1;
    public override string Spec => "constant";
}

/// <summary>
/// Linear warmup to the base rate, then constant: factor min((t+1)/W, 1), t the epoch (the GNN recipe: LambdaLR
/// stepped per epoch, so epoch 0 uses 1/W) or the global step.
/// </summary>
public sealed record LinearWarmup(int Warmup, bool PerStep) : LrSchedule
{
    public override double Factor(int epoch, int step, int stepsPerEpoch)
    {
        if (Warmup <= 0) return 1;
        var t = PerStep ? (long)epoch * stepsPerEpoch + step : epoch;
        return Math.Min((t + 1) / (double)Warmup, 1.0);
    }

    public override string Spec => PerStep ? $"warmup-steps:{Warmup}" : $"warmup:{Warmup}";
}

/// <summary>
/// Triangular per step (the metanet recipe, docs/paper.md#zoo-training): np.interp(t, [0, peak·S, epochs·S], [0, 1, 0])
/// at global step t with S steps per epoch; the very first step uses lr 0.
/// </summary>
public sealed record TriangularLr(double PeakEpoch, int Epochs) : LrSchedule
{
    public override double Factor(int epoch, int step, int stepsPerEpoch)
    {
        double t = (long)epoch * stepsPerEpoch + step;
        var peak = PeakEpoch * stepsPerEpoch;
        var end = (double)Epochs * stepsPerEpoch;
        if (t <= 0) return 0;
        if (t < peak) return t / peak;
        if (t >= end) return 0;
        return end > peak ? (end - t) / (end - peak) : 0;
    }

    public override string Spec => $"triangular:{PeakEpoch.ToString(CultureInfo.InvariantCulture)}";
}

/// <summary>
/// Per-epoch geometric warmup (the LMC ResNet recipe, docs/paper.md#lmc-resnet-recipe: MultiStepLR with milestones 1..E
/// and gamma): factor gamma^min(epoch, E), computed as repeated multiplication as MultiStepLR does.
/// </summary>
public sealed record GeometricWarmup(double Gamma, int Epochs) : LrSchedule
{
    public override double Factor(int epoch, int step, int stepsPerEpoch)
    {
        var f = 1.0;
        for (var e = 0; e < Math.Min(epoch, Epochs); e++) f *= Gamma;
        return f;
    }

    public override string Spec => $"geometric:{Gamma.ToString(CultureInfo.InvariantCulture)}:{Epochs}";
}
