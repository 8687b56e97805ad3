using AsymNet.Symmetry.Interpolation;

namespace AsymNet.Experiments.Lmc;

/// <summary>Statistics of one variant over the finished pairs of a run (a cell of Table 1 plus context).</summary>
public sealed record LmcVariantSummary
{
    public required LmcVariant Variant { get; init; }

    /// <summary>Pairs with a curve (diverged pairs excluded).</summary>
    public required int Pairs { get; init; }
    public required int DivergedPairs { get; init; }
    public required double BarrierMean { get; init; }

    /// <summary>Sample standard deviation (n − 1); 0 for a single pair.</summary>
    public required double BarrierStd { get; init; }
    public required double MaxBarrierMean { get; init; }
    public required double AccuracyDropMean { get; init; }

    /// <summary>Mean test loss and accuracy of the endpoint networks (λ = 0 and 1).</summary>
    public required double EndpointLossMean { get; init; }
    public required double EndpointAccuracyMean { get; init; }

    /// <summary>Mean test loss and accuracy at λ = ½.</summary>
    public required double MidpointLossMean { get; init; }
    public required double MidpointAccuracyMean { get; init; }

    /// <summary>Beyond the paper: the share (%) of curves whose test loss falls monotonically from one end or the other
    /// (MLI's statistic along the path between two trained networks, <see cref="MliStatistics.EitherEnd"/>), and the mean
    /// of that Δ; NaN when the λ grid is not uniform (an even number of points gets ½ added).</summary>
    public double MonotonicEitherEndPercent { get; init; } = double.NaN;
    public double EitherEndDeltaMean { get; init; } = double.NaN;

    /// <summary>Mean distance per parameter between the endpoints (paper Appendix A); NaN when no pair recorded it.</summary>
    public double DistancePerParameterMean { get; init; } = double.NaN;
}

public static class LmcStatistics
{
    /// <summary>
    /// Seconds per call of <paramref name="action"/>: runs it up to <paramref name="maxRuns"/> times (at least 3, and
    /// no more once about <paramref name="budgetSeconds"/> have passed) and returns the median of the later half, so
    /// that warm-up calls (JIT tiers, pools) do not count.
    /// </summary>
    public static double TimeRepeated(Action action, int maxRuns = 20, double budgetSeconds = 2)
    {
        var times = new List<double>();
        var total = System.Diagnostics.Stopwatch.StartNew();
        var clock = new System.Diagnostics.Stopwatch();
        while (times.Count < maxRuns && (times.Count < 3 || total.Elapsed.TotalSeconds < budgetSeconds))
        {
            clock.Restart();
            action();
            times.Add(clock.Elapsed.TotalSeconds);
        }
        return Median(times.Skip(times.Count / 2).ToList());
    }

    public static double Median(IReadOnlyList<double> xs)
    {
        if (xs.Count == 0) return double.NaN;
        var sorted = xs.Order().ToList();
        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : 0.5 * (sorted[sorted.Count / 2 - 1] + sorted[sorted.Count / 2]);
    }

    public static (double Mean, double Std) MeanStd(IReadOnlyList<double> xs)
    {
        if (xs.Count == 0) return (double.NaN, double.NaN);
        var mean = xs.Average();
        if (xs.Count == 1) return (mean, 0);
        var ss = xs.Sum(x => (x - mean) * (x - mean));
        return (mean, Math.Sqrt(ss / (xs.Count - 1)));
    }

    /// <summary>Per requested variant, the statistics over the pair results that hold its curve.</summary>
    public static IReadOnlyList<LmcVariantSummary> Summarize(IReadOnlyList<LmcVariant> variants, IReadOnlyList<LmcPairResult> pairs) =>
        variants.Select(v =>
        {
            var family = pairs.Where(p => p.Family == v.Family()).ToList();
            var curves = family.SelectMany(p => p.Curves.Where(c => c.Variant == v)).ToList();
            var (mean, std) = MeanStd(curves.Select(c => c.MidpointBarrier).ToList());
            var ends = curves.SelectMany(c => new[] { c.Curve.Start, c.Curve.End }).ToList();
            var mids = curves.Select(c => c.Curve.Middle).ToList();
            var uniform = curves.Where(c => c.Points.Count >= 3 && c.Points.Select((p, i) => p.Lambda == (i == c.Points.Count - 1 ? 1.0 : (double)i / (c.Points.Count - 1))).All(b => b))
                .Select(c => MliStatistics.EitherEnd([.. c.Points.Select(p => p.Loss)])).ToList();
            return new LmcVariantSummary
            {
                Variant = v,
                Pairs = curves.Count,
                DivergedPairs = family.Count(p => p.Diverged),
                BarrierMean = mean,
                BarrierStd = std,
                MaxBarrierMean = curves.Count == 0 ? double.NaN : curves.Average(c => c.MaxBarrier),
                AccuracyDropMean = curves.Count == 0 ? double.NaN : curves.Average(c => c.MidpointAccuracyDrop),
                EndpointLossMean = ends.Count == 0 ? double.NaN : ends.Average(p => p.Loss),
                EndpointAccuracyMean = ends.Count == 0 ? double.NaN : ends.Average(p => p.Accuracy),
                MidpointLossMean = mids.Count == 0 ? double.NaN : mids.Average(p => p.Loss),
                MidpointAccuracyMean = mids.Count == 0 ? double.NaN : mids.Average(p => p.Accuracy),
                MonotonicEitherEndPercent = uniform.Count == 0 ? double.NaN : 100.0 * uniform.Count(u => u.Monotonic) / uniform.Count,
                EitherEndDeltaMean = uniform.Count == 0 ? double.NaN : uniform.Average(u => u.Delta),
                DistancePerParameterMean = curves.Where(c => c.DistancePerParameter is not null).Select(c => c.DistancePerParameter!.Value).DefaultIfEmpty(double.NaN).Average(),
            };
        }).ToList();
}
