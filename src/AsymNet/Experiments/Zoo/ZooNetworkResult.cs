using System.Globalization;
using AsymNet.NN.Models;

namespace AsymNet.Experiments.Zoo;

/// <summary>One network of a zoo: row <paramref name="Index"/> of the hyperparameter table trained as <paramref name="Variant"/>.</summary>
public sealed record ZooJob(int Index, Variant Variant)
{
    public string VariantName => Variant.ToString().ToLowerInvariant();

    /// <summary>The job file's id, e.g. "w-00042" (zero-padded so job files sort by index).</summary>
    public string Id => string.Create(CultureInfo.InvariantCulture, $"{VariantName}-{Index:D5}");

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{VariantName} #{Index}");
}

/// <summary>A trained (or diverged) zoo network: its seeds, hyperparameters and metrics; one row of zoo.csv.</summary>
public sealed record ZooNetworkResult
{
    public const string CsvHeader =
        "index,variant,seed,lr,weight_decay,label_smoothing,epochs,train_loss,train_accuracy,test_loss,test_accuracy,diverged,seconds";

    public required int Index { get; init; }
    public required Variant Variant { get; init; }

    /// <summary>The network's seed; its init and data-order seeds derive from it.</summary>
    public required ulong Seed { get; init; }
    public required ulong InitSeed { get; init; }
    public required ulong DataSeed { get; init; }
    public required ZooHyperparameters Hyperparameters { get; init; }

    /// <summary>Training loss (label smoothing included) and accuracy after training, on augmented training data with the zoo's fixed augmentation seed.</summary>
    public required double TrainLoss { get; init; }
    public required double TrainAccuracy { get; init; }

    /// <summary>Plain cross-entropy and accuracy (a fraction) on the test images.</summary>
    public required double TestLoss { get; init; }
    public required double TestAccuracy { get; init; }
    public required bool Diverged { get; init; }
    public string? DivergenceReason { get; init; }
    public required double Seconds { get; init; }

    public string CsvRow()
    {
        var h = Hyperparameters;
        return string.Create(CultureInfo.InvariantCulture,
            $"{Index},{Variant.ToString().ToLowerInvariant()},{Seed},{h.LearningRate:R},{h.WeightDecay:R},{h.LabelSmoothing:R},{h.Epochs}," +
            $"{TrainLoss:R},{TrainAccuracy:R},{TestLoss:R},{TestAccuracy:R},{(Diverged ? 1 : 0)},{Seconds:0.###}");
    }
}
