using MathNet.Numerics.Distributions;

namespace AsymNet.Symmetry.Interpolation;

/// <summary>
/// Welch's two-sided t-test for a difference of means with unequal variances (SciPy's
/// <c>ttest_ind(a, b, equal_var=False)</c>): t = (m_a − m_b)/√(s_a²/n_a + s_b²/n_b), degrees of freedom by
/// Welch–Satterthwaite, p = 2·P(T ≤ −|t|) from MathNet.Numerics' Student-t distribution (the lower tail, so tiny
/// p-values keep their digits). When both samples have zero variance the statistic is undefined: t and p are NaN.
/// </summary>
public sealed record WelchTTest(double T, double DegreesOfFreedom, double P)
{
    public static WelchTTest Of(IReadOnlyList<double> a, IReadOnlyList<double> b)
    {
        if (a.Count < 2 || b.Count < 2) throw new ArgumentException($"A t-test needs at least two values per sample, got {a.Count} and {b.Count}.");
        var (ma, va) = MeanVariance(a);
        var (mb, vb) = MeanVariance(b);
        var (qa, qb) = (va / a.Count, vb / b.Count);
        var se2 = qa + qb;
        if (se2 == 0) return new WelchTTest(double.NaN, double.NaN, double.NaN);
        var t = (ma - mb) / Math.Sqrt(se2);
        var df = se2 * se2 / (qa * qa / (a.Count - 1) + qb * qb / (b.Count - 1));
        var p = 2 * StudentT.CDF(0, 1, df, -Math.Abs(t));
        return new WelchTTest(t, df, Math.Min(1, p));
    }

    /// <summary>Mean and unbiased variance (n − 1), two-pass.</summary>
    public static (double Mean, double Variance) MeanVariance(IReadOnlyList<double> x)
    {
        var mean = x.Average();
        var ss = x.Sum(v => (v - mean) * (v - mean));
        return (mean, x.Count > 1 ? ss / (x.Count - 1) : double.NaN);
    }
}
