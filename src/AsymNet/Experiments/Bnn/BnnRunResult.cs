using AsymNet.NN.Models;

namespace AsymNet.Experiments.Bnn;

/// <summary>One job: run <see cref="Run"/> of model <see cref="Model"/> (a <see cref="BnnModelRecipe.Name"/>) in one variant.</summary>
public sealed record BnnJob(string Model, Variant Variant, int Run)
{
    public string VariantName => Variant == Variant.W ? "w-asym" : "standard";
    public string Id => $"{Model}-{VariantName}-{Run:D3}";
}

/// <summary>One epoch of one network. Test metrics are null on epochs without an evaluation (half and last only).</summary>
public sealed record BnnEpoch
{
    public required int Epoch { get; init; }

    /// <summary>The paper's "Train Loss": the data term (mean NLL of the batch, one sample) averaged over the last
    /// <see cref="BnnRecipe.LossWindow"/> steps.</summary>
    public required double TrainLoss { get; init; }

    /// <summary>The data term averaged over the whole epoch.</summary>
    public required double TrainNll { get; init; }

    /// <summary>KL(q‖p) / N_data at the end of the epoch.</summary>
    public required double KlPerN { get; init; }
    public double? TestNll { get; init; }
    public double? TestAccuracy { get; init; }
    public double? Ece { get; init; }
    public required double Seconds { get; init; }
}

/// <summary>A finished job: seeds, how training ended, the per-epoch record, and the final predictive metrics.</summary>
public sealed record BnnRunResult
{
    public required string Model { get; init; }
    public required Variant Variant { get; init; }
    public required int Run { get; init; }
    public required string Dataset { get; init; }
    public required IReadOnlyDictionary<string, ulong> Seeds { get; init; }
    public required bool Diverged { get; init; }
    public string? DivergenceReason { get; init; }
    public required IReadOnlyList<BnnEpoch> Epochs { get; init; }

    /// <summary>Test accuracy at <see cref="BnnRecipe.HalfEpoch"/> (Table 2's last column), when reached.</summary>
    public double? HalfEpochAccuracy { get; init; }
    public required long RandomParameters { get; init; }
    public required double Seconds { get; init; }

    public BnnJob Job => new(Model, Variant, Run);
    public BnnEpoch? Final => Epochs.Count > 0 ? Epochs[^1] : null;
}
