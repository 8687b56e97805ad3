using AsymNet.Symmetry.Interpolation;
using AsymNet.Tests.Support;

namespace AsymNet.Tests.Symmetry;

/// <summary>Δ, monotonicity, local and global convexity (the paper's chord and the code's) on hand-made curves;
/// Welch t-tests against SciPy.</summary>
public sealed class MliStatisticsTests
{
    private static double[] Curve(Func<double, double> f, int points = 25) =>
        [.. Enumerable.Range(0, points).Select(i => f(i / (double)(points - 1)))];

    [Fact]
    public void AConvexDecreasingCurveIsMonotonicAndConvexEverywhere()
    {
        var s = MliStatistics.Of(Curve(a => 2 * (1 - a) * (1 - a) + 0.1));
        Assert.True(s.Monotonic);
        Assert.True(s.Delta < 0);
        Assert.Equal(-2.0 / 576, s.Delta, 12); // the last step: 2·(1/24)² − 0 … largest (least negative) difference
        Assert.Equal(1.0, s.LocalConvexity);
        Assert.Equal(1.0, s.GlobalConvexity);
    }

    [Fact]
    public void ABumpIsNotMonotonicAndItsPeakIsAboveTheChord()
    {
        // Falls from 2 to 0.5 with a Gaussian bump of height 1 at α = ½.
        var s = MliStatistics.Of(Curve(a => 2 - 1.5 * a + Math.Exp(-Math.Pow((a - 0.5) / 0.1, 2))));
        Assert.False(s.Monotonic);
        Assert.True(s.Delta > 0.1);
        Assert.True(s.LocalConvexity is > 0 and < 1);
        Assert.True(s.GlobalConvexity < 1);
        // Points near the peak lie above the chord: exactly those with bump > 0 … counted by hand.
        var above = Enumerable.Range(1, 23).Count(i => Math.Exp(-Math.Pow((i / 24.0 - 0.5) / 0.1, 2)) > 0);
        Assert.Equal((23 - above) / 23.0, s.GlobalConvexity, 12);
    }

    [Fact]
    public void AFlatCurveIsMonotonicWithΔZeroAndFullyConvex()
    {
        var s = MliStatistics.Of(Curve(_ => 0.7));
        Assert.Equal(0.0, s.Delta);
        Assert.True(s.Monotonic);
        Assert.Equal(1.0, s.LocalConvexity);
        Assert.Equal(1.0, s.GlobalConvexity);
        Assert.Equal(1.0, s.GlobalConvexityCodeChord);
    }

    [Fact]
    public void ThePapersChordAndTheCodesChordDisagree()
    {
        // Concave decreasing: L = 1 − α². Every interior point is above the chord 1 − α (paper: 0), but the code's
        // line L_0 + (L_1 − L_0)·α = 1 − α/576 lies above every interior point (code: 1).
        var s = MliStatistics.Of(Curve(a => 1 - a * a));
        Assert.True(s.Monotonic);
        Assert.Equal(0.0, s.LocalConvexity);
        Assert.Equal(0.0, s.GlobalConvexity);
        Assert.Equal(1.0, s.GlobalConvexityCodeChord);
    }

    [Fact]
    public void HandWrittenFivePointCurve()
    {
        // α = 0, ¼, ½, ¾, 1; differences −1, +0.5, −1, −0.25; second differences 1.5, −1.5, 0.75; the paper's chord at
        // the interior points 2.5625, 2.125, 1.6875; the code's line 3 − α: 2.75, 2.5, 2.25.
        var s = MliStatistics.Of([3.0, 2.0, 2.5, 1.5, 1.25]);
        Assert.Equal(0.5, s.Delta);
        Assert.False(s.Monotonic);
        Assert.Equal(2 / 3.0, s.LocalConvexity, 12);
        Assert.Equal(2 / 3.0, s.GlobalConvexity, 12); // 2 ≤ 2.5625 yes, 2.5 ≤ 2.125 no, 1.5 ≤ 1.6875 yes
        Assert.Equal(1.0, s.GlobalConvexityCodeChord, 12); // 2 ≤ 2.75, 2.5 ≤ 2.5, 1.5 ≤ 2.25
    }

    [Fact]
    public void EitherEndMeasuresFromTheEndThatDescends()
    {
        var rising = Curve(a => 0.5 + a * a);
        Assert.False(MliStatistics.Of(rising).Monotonic);
        Assert.True(MliStatistics.EitherEnd(rising).Monotonic);
        Assert.False(MliStatistics.EitherEnd(Curve(a => 1 + Math.Sin(Math.PI * a))).Monotonic); // a barrier in the middle
    }

    [Fact]
    public void NonFiniteOrTooShortCurvesAreRefused()
    {
        Assert.Throws<ArgumentException>(() => MliStatistics.Of([1.0, 0.5]));
        Assert.Throws<ArgumentException>(() => MliStatistics.Of([1.0, double.NaN, 0.5]));
    }

    [Fact]
    public void WelchTTestEqualsScipy()
    {
        var root = ReferenceJson.Load("stats", "welch", "welch_reference.py");
        foreach (var c in root.GetProperty("cases").EnumerateArray())
        {
            double[] Values(string n) => [.. c.GetProperty(n).EnumerateArray().Select(v => v.GetDouble())];
            var r = WelchTTest.Of(Values("a"), Values("b"));
            var name = c.GetProperty("name").GetString();
            foreach (var (what, expected, actual) in new[] { ("t", c.GetProperty("t").GetDouble(), r.T), ("p", c.GetProperty("p").GetDouble(), r.P), ("df", c.GetProperty("df").GetDouble(), r.DegreesOfFreedom) })
                Assert.True(Math.Abs(actual - expected) <= 1e-6 * Math.Abs(expected), $"{name} {what}: AsymNet {actual:R}, SciPy {expected:R}");
        }
    }

    [Fact]
    public void SummaryCountsDivergedAndTestsAgainstTheReference()
    {
        var standard = new[] { Curve(a => 1 - a + 0.3 * Math.Sin(3 * a)), Curve(a => 1 - a + 0.2 * Math.Sin(3 * a)), Curve(a => 1 - a + 0.25 * Math.Sin(4 * a)) }
            .Select(MliStatistics.Of).ToList();
        var w = new[] { Curve(a => (1 - a) * (1 - a)), Curve(a => 1.2 * (1 - a) * (1 - a)), Curve(a => 0.9 * (1 - a) * (1 - a) + 0.1) }.Select(MliStatistics.Of).ToList();
        var s = MliSummary.Of("w", w, diverged: 2, standard);
        Assert.Equal((3, 2, 100.0), (s.Networks, s.Diverged, s.PercentMonotonic));
        Assert.NotNull(s.DeltaTest);
        Assert.Equal(WelchTTest.Of([.. w.Select(x => x.Delta)], [.. standard.Select(x => x.Delta)]), s.DeltaTest);
        Assert.Null(MliSummary.Of("standard", standard, 0, null).DeltaTest);
    }
}
