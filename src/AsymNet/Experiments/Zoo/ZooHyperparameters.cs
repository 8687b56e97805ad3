using System.Globalization;
using AsymNet.Tensors;

namespace AsymNet.Experiments.Zoo;

/// <summary>One row of the shared hyperparameter table (paper Table 8): network <see cref="Index"/> of every variant trains with it.</summary>
public sealed record ZooHyperparameters(int Index, double LearningRate, double WeightDecay, double LabelSmoothing, int Epochs)
{
    public const string CsvHeader = "index,lr,weight_decay,label_smoothing,epochs";

    /// <summary>
    /// Row <paramref name="index"/> of the table of zoo seed <paramref name="seed"/>: a pure function of (seed, index),
    /// so the table needs no file to be shared between variants, shards and machines (the authors' unseeded hparams.csv
    /// is not published). Draws, in order: lr exponent, weight-decay exponent, label smoothing, epochs.
    /// </summary>
    public static ZooHyperparameters Row(ulong seed, int index, HyperparameterRanges r)
    {
        var rng = Rng.ForKey(seed, string.Create(CultureInfo.InvariantCulture, $"zoo/hparams/{index}"));
        var lr = r.LrScale * Math.Pow(10, -r.LrDecades * rng.NextDouble());
        var wd = Math.Pow(10, r.WdMinExponent + (r.WdMaxExponent - r.WdMinExponent) * rng.NextDouble());
        var ls = r.LabelSmoothingMax * rng.NextDouble();
        var epochs = r.EpochsMin + rng.NextInt(r.EpochsMax - r.EpochsMin + 1);
        return new ZooHyperparameters(index, lr, wd, ls, epochs);
    }

    /// <summary>
    /// The middle of every range, not a row of any table (index −1): lr and weight decay at their geometric middle, label
    /// smoothing at its mean, epochs at their mean rounded (a typical network, for the bench workload resnet8-zoo).
    /// </summary>
    public static ZooHyperparameters Middle(HyperparameterRanges r) =>
        new(-1, r.LrScale * Math.Pow(10, -r.LrDecades / 2), Math.Pow(10, (r.WdMinExponent + r.WdMaxExponent) / 2), r.LabelSmoothingMax / 2,
            (int)Math.Round(r.MeanEpochs()));

    public string CsvRow() => string.Create(CultureInfo.InvariantCulture, $"{Index},{LearningRate:R},{WeightDecay:R},{LabelSmoothing:R},{Epochs}");
}
