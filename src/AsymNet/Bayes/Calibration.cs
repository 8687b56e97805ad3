namespace AsymNet.Bayes;

/// <summary>
/// Expected calibration error as torchmetrics' MulticlassCalibrationError(norm="l1") computes it (the paper's ECE):
/// top-label confidence (largest probability, first on ties) and whether that class is the label; bins of equal width
/// with float32 boundaries linspace(0, 1, B+1), left-closed and right-open, plus one more bin holding confidence
/// exactly 1.0; ECE = Σ_bins (n_bin/N)·|accuracy_bin − mean confidence_bin|.
/// </summary>
public static class Calibration
{
    public const int PaperBins = 15;

    public static double ExpectedCalibrationError(ReadOnlySpan<double> probabilities, int classes, ReadOnlySpan<int> labels, int bins = PaperBins)
    {
        var n = labels.Length;
        if (probabilities.Length != n * classes)
            throw new ArgumentException($"ECE: {probabilities.Length} probabilities for {n} examples of {classes} classes.");
        if (bins < 1) throw new ArgumentOutOfRangeException(nameof(bins), bins, "ECE needs at least one bin.");
        if (n == 0) return double.NaN;
        var boundaries = Boundaries(bins);
        var count = new long[bins + 1];
        var confidence = new double[bins + 1];
        var correct = new double[bins + 1];
        for (var i = 0; i < n; i++)
        {
            var (top, conf) = Top(probabilities.Slice(i * classes, classes));
            var bin = Bucket((float)conf, boundaries);
            count[bin]++;
            confidence[bin] += (float)conf;
            if (top == labels[i]) correct[bin]++;
        }
        double ece = 0;
        for (var b = 0; b <= bins; b++)
            if (count[b] > 0) ece += (double)count[b] / n * Math.Abs(correct[b] / count[b] - confidence[b] / count[b]);
        return ece;
    }

    /// <summary>The largest probability and its class (the first on ties, as torch.max).</summary>
    public static (int Class, double Probability) Top(ReadOnlySpan<double> row)
    {
        var best = 0;
        for (var c = 1; c < row.Length; c++) if (row[c] > row[best]) best = c;
        return (best, row[best]);
    }

    /// <summary>torch.linspace(0, 1, bins + 1) in float32: the first half counted up from 0, the rest down from 1.</summary>
    public static float[] Boundaries(int bins)
    {
        var step = 1f / bins;
        var b = new float[bins + 1];
        for (var i = 0; i <= bins; i++) b[i] = i < (bins + 1) / 2 ? i * step : 1f - (bins - i) * step;
        return b;
    }

    /// <summary>torch.bucketize(x, boundaries, right=True) − 1: the last i with boundaries[i] ≤ x (1.0 lands in slot B).</summary>
    private static int Bucket(float x, float[] boundaries)
    {
        var i = 0;
        while (i + 1 < boundaries.Length && boundaries[i + 1] <= x) i++;
        return i;
    }
}
