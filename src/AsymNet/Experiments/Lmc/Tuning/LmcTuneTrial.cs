using System.Globalization;

namespace AsymNet.Experiments.Lmc.Tuning;

/// <summary>One search job: pair <paramref name="Pair"/> of one grid cell for one kind of network, with the curves it
/// computes on the validation split (the kind's own variant, and re-basin for the standard kind when requested).</summary>
public sealed record LmcTuneTrial(LmcHyperparameters Values, int Pair, IReadOnlyList<LmcVariant> Curves)
{
    /// <summary>File-name-safe: "standard-e8-lr0.001-wd0.03-p0".</summary>
    public string Id => string.Create(CultureInfo.InvariantCulture,
        $"{Values.Family.ToString().ToLowerInvariant()}-e{Values.Epochs}-lr{Values.LearningRate:G6}-wd{Values.WeightDecay:G6}-p{Pair}");

    public string Name => $"search {Values.Family.ToString().ToLowerInvariant()} {Values.Describe()}, pair {Pair}";
}

/// <summary>A finished search job: the cell, the pair, and the LMC pair result measured on the validation split.</summary>
public sealed record LmcTuneTrialResult
{
    public required LmcHyperparameters Values { get; init; }
    public required int Pair { get; init; }
    public required LmcPairResult Result { get; init; }

    public bool Diverged => Result.Diverged;

    /// <summary>The validation midpoint barrier of <paramref name="variant"/>'s curve (null when diverged or not computed).</summary>
    public double? Barrier(LmcVariant variant) => Result.Curves.FirstOrDefault(c => c.Variant == variant)?.MidpointBarrier;

    /// <summary>Mean validation accuracy of the pair's two networks (NaN when diverged).</summary>
    public double Accuracy => Result.Diverged ? double.NaN : Result.Networks.Average(n => n.TestAccuracy);
}
