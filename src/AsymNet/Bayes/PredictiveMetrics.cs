namespace AsymNet.Bayes;

/// <summary>
/// Test metrics of a predictive distribution: NLL = mean −log p̄(label), accuracy of the top class, and ECE
/// (<see cref="Calibration"/>). p̄ is the mean over posterior samples of the softmax, so every metric follows from the
/// probabilities alone.
/// </summary>
public sealed record PredictiveMetrics(double Nll, double Accuracy, double Ece, int Count)
{
    public static PredictiveMetrics From(ReadOnlySpan<double> probabilities, int classes, ReadOnlySpan<int> labels, int bins = Calibration.PaperBins)
    {
        var n = labels.Length;
        if (probabilities.Length != n * classes)
            throw new ArgumentException($"{probabilities.Length} probabilities for {n} examples of {classes} classes.");
        double nll = 0;
        var hits = 0;
        for (var i = 0; i < n; i++)
        {
            var row = probabilities.Slice(i * classes, classes);
            if ((uint)labels[i] >= (uint)classes) throw new ArgumentException($"Label {labels[i]} of example {i} is not one of {classes} classes.");
            nll -= Math.Log(row[labels[i]]);
            if (Calibration.Top(row).Class == labels[i]) hits++;
        }
        return new PredictiveMetrics(n > 0 ? nll / n : double.NaN, n > 0 ? (double)hits / n : double.NaN,
            Calibration.ExpectedCalibrationError(probabilities, classes, labels, bins), n);
    }
}
