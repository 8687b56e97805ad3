using MathNet.Numerics;

namespace AsymNet.Experiments.Metanet;

/// <summary>
/// How well predictions fit targets, as the paper scores metanetworks (docs/paper.md#metanet-metrics): mean squared
/// error, R² = 1 − SS_res/SS_tot (scikit-learn's r2_score; negative when worse than predicting the mean) and Kendall's
/// τ-b (SciPy's kendalltau, ties corrected).
/// </summary>
public static class RegressionMetrics
{
    public static double Mse(ReadOnlySpan<double> target, ReadOnlySpan<double> prediction)
    {
        CheckPair(target, prediction);
        double sum = 0;
        for (var i = 0; i < target.Length; i++) sum += (prediction[i] - target[i]) * (prediction[i] - target[i]);
        return target.Length > 0 ? sum / target.Length : double.NaN;
    }

    /// <summary>1 − SS_res/SS_tot (Math.NET's coefficient of determination); NaN for fewer than two targets or
    /// constant targets, where it is undefined.</summary>
    public static double R2(double[] target, double[] prediction)
    {
        CheckPair(target, prediction);
        if (target.Length < 2 || target.All(t => t == target[0])) return double.NaN;
        return GoodnessOfFit.CoefficientOfDetermination(prediction, target);
    }

    /// <summary>Kendall's τ-b: (concordant − discordant) / √((n₀ − n₁)(n₀ − n₂)) over all pairs, n₁ and n₂ the pairs
    /// tied in x and in y. O(n²), which is milliseconds for a test split of thousands. NaN when either side is constant.</summary>
    public static double KendallTauB(ReadOnlySpan<double> x, ReadOnlySpan<double> y)
    {
        CheckPair(x, y);
        long concordant = 0, discordant = 0, tiedX = 0, tiedY = 0;
        for (var i = 0; i < x.Length; i++)
            for (var j = i + 1; j < x.Length; j++)
            {
                var dx = Math.Sign(x[i] - x[j]);
                var dy = Math.Sign(y[i] - y[j]);
                if (dx == 0) tiedX++;
                if (dy == 0) tiedY++;
                if (dx != 0 && dy != 0)
                {
                    if (dx == dy) concordant++;
                    else discordant++;
                }
            }
        var pairs = (long)x.Length * (x.Length - 1) / 2;
        var denominator = Math.Sqrt((double)(pairs - tiedX) * (pairs - tiedY));
        return denominator > 0 ? (concordant - discordant) / denominator : double.NaN;
    }

    private static void CheckPair(ReadOnlySpan<double> a, ReadOnlySpan<double> b)
    {
        if (a.Length != b.Length) throw new ArgumentException($"Targets and predictions differ in length ({a.Length} vs {b.Length}).");
    }
}
