namespace AsymNet.Symmetry.Interpolation;

/// <summary>Mean ± standard deviation (n − 1) over networks; NaN when there are none.</summary>
public sealed record MeanStd(double Mean, double Std)
{
    public static MeanStd Of(IReadOnlyList<double> x) =>
        x.Count == 0 ? new(double.NaN, double.NaN) : new(x.Average(), x.Count > 1 ? Math.Sqrt(WelchTTest.MeanVariance(x).Variance) : 0);
}

/// <summary>
/// One row of Table 4: a group of networks' MLI statistics (diverged networks counted, excluded from everything else),
/// and Welch t-tests of Δ and both convexities against a reference group (standard networks) when one is given.
/// </summary>
public sealed record MliSummary(
    string Group,
    int Networks,
    int Diverged,
    MeanStd Delta,
    double PercentMonotonic,
    MeanStd LocalConvexity,
    MeanStd GlobalConvexity,
    MeanStd GlobalConvexityCodeChord,
    WelchTTest? DeltaTest,
    WelchTTest? LocalConvexityTest,
    WelchTTest? GlobalConvexityTest)
{
    /// <param name="group">The group's name (a variant).</param>
    /// <param name="curves">Statistics of every network that did not diverge.</param>
    /// <param name="diverged">Networks that diverged (excluded).</param>
    /// <param name="reference">The statistics of the group to test against, or null (no tests).</param>
    public static MliSummary Of(string group, IReadOnlyList<MliStatistics> curves, int diverged, IReadOnlyList<MliStatistics>? reference)
    {
        WelchTTest? Test(Func<MliStatistics, double> f) =>
            reference is { Count: >= 2 } && curves.Count >= 2 ? WelchTTest.Of([.. curves.Select(f)], [.. reference.Select(f)]) : null;
        return new MliSummary(group, curves.Count, diverged,
            MeanStd.Of([.. curves.Select(c => c.Delta)]),
            curves.Count == 0 ? double.NaN : 100.0 * curves.Count(c => c.Monotonic) / curves.Count,
            MeanStd.Of([.. curves.Select(c => c.LocalConvexity)]),
            MeanStd.Of([.. curves.Select(c => c.GlobalConvexity)]),
            MeanStd.Of([.. curves.Select(c => c.GlobalConvexityCodeChord)]),
            Test(c => c.Delta), Test(c => c.LocalConvexity), Test(c => c.GlobalConvexity));
    }
}
