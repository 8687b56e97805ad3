namespace AsymNet.Symmetry.Interpolation;

/// <summary>
/// The monotonic-linear-interpolation statistics of one loss curve L_0..L_n on a uniform α grid (the paper's Table 4,
/// <c>docs/paper.md#mli-statistics</c>):
/// <list type="bullet">
/// <item><see cref="Delta"/> Δ = max_i (L_{i+1} − L_i); the curve is <see cref="Monotonic"/> iff Δ ≤ 0.</item>
/// <item><see cref="LocalConvexity"/>: the share of the n−1 interior second differences L_{i+1} − 2L_i + L_{i−1} that are ≥ 0.</item>
/// <item><see cref="GlobalConvexity"/>: the share of the n−1 interior points on or below the chord (1−α_i)L_0 + α_i L_n
/// (the paper's definition).</item>
/// <item><see cref="GlobalConvexityCodeChord"/>: the same below the authors' code's line L_0 + (L_1 − L_0)·α_i, which
/// uses the second point instead of the endpoint (<c>docs/paper.md#mli-chord</c>); reported beside the paper's.</item>
/// </list>
/// </summary>
public sealed record MliStatistics(double Delta, bool Monotonic, double LocalConvexity, double GlobalConvexity, double GlobalConvexityCodeChord)
{
    /// <summary>The statistics of <paramref name="losses"/> at α_i = i/n (at least three points: one interior one).</summary>
    public static MliStatistics Of(IReadOnlyList<double> losses)
    {
        var n = losses.Count - 1;
        if (n < 2) throw new ArgumentException($"MLI statistics need at least 3 points (one interior), got {losses.Count}.");
        if (losses.Any(l => !double.IsFinite(l))) throw new ArgumentException("MLI statistics need finite losses (a diverged network is excluded, not measured).");
        var delta = double.NegativeInfinity;
        for (var i = 0; i < n; i++) delta = Math.Max(delta, losses[i + 1] - losses[i]);
        int convex = 0, below = 0, belowCode = 0;
        for (var i = 1; i < n; i++)
        {
            var alpha = (double)i / n;
            if (losses[i + 1] - 2 * losses[i] + losses[i - 1] >= 0) convex++;
            if (losses[i] <= (1 - alpha) * losses[0] + alpha * losses[n]) below++;
            if (losses[i] <= losses[0] + (losses[1] - losses[0]) * alpha) belowCode++;
        }
        double interior = n - 1;
        return new MliStatistics(delta, delta <= 0, convex / interior, below / interior, belowCode / interior);
    }

    /// <summary>
    /// "Monotonic from either end" along a path between two trained networks (an LMC curve): the loss falls monotonically
    /// walking from one end or from the other, i.e. the curve is monotone and has no interior bump. Δ is taken from the
    /// end that makes it smallest.
    /// </summary>
    public static MliStatistics EitherEnd(IReadOnlyList<double> losses)
    {
        var forward = Of(losses);
        var backward = Of(losses.Reverse().ToList());
        return forward.Delta <= backward.Delta ? forward : backward;
    }
}
