namespace AsymNet.Symmetry.Interpolation;

/// <summary>Test loss and accuracy of the network (1−λ)θ1 + λθ2.</summary>
public sealed record LmcPoint(double Lambda, double Loss, double Accuracy);

/// <summary>
/// A linear-mode-connectivity curve: points sorted by λ, with λ = 0, ½ and 1 among them. Barriers
/// (docs/paper.md#barrier):
/// <list type="bullet">
/// <item><see cref="MidpointBarrier"/> L(½θ1+½θ2) − ½(L(θ1)+L(θ2)), the paper's Table 1 number; it can be negative.</item>
/// <item><see cref="MaxBarrier"/> max over λ of L(λ) − ((1−λ)L(0) + λL(1)) (Frankle et al., Entezari et al.); ≥ 0 since
/// the endpoints contribute 0.</item>
/// <item><see cref="MaxLoss"/> the largest loss on the curve, what the authors' scripts log as "worst".</item>
/// </list>
/// </summary>
public sealed record LmcCurve(IReadOnlyList<LmcPoint> Points)
{
    public LmcPoint Start => At(0);
    public LmcPoint Middle => At(0.5);
    public LmcPoint End => At(1);

    public double MidpointBarrier => Middle.Loss - 0.5 * (Start.Loss + End.Loss);

    /// <summary>The same on accuracy, as a drop: ½(A(θ1)+A(θ2)) − A(½θ1+½θ2).</summary>
    public double MidpointAccuracyDrop => 0.5 * (Start.Accuracy + End.Accuracy) - Middle.Accuracy;

    public double MaxBarrier => Points.Max(p => p.Loss - ((1 - p.Lambda) * Start.Loss + p.Lambda * End.Loss));

    public double MaxLoss => Points.Max(p => p.Loss);

    /// <summary>The point at exactly <paramref name="lambda"/>.</summary>
    public LmcPoint At(double lambda) =>
        Points.FirstOrDefault(p => p.Lambda == lambda)
        ?? throw new InvalidOperationException($"The curve has no point at λ = {lambda}.");

    /// <summary>
    /// linspace(0, 1, <paramref name="points"/>) (the i-th value is i/(P−1), so ½ is exact for odd P), plus ½ when P
    /// is even, because the midpoint barrier needs it.
    /// </summary>
    public static double[] Lambdas(int points)
    {
        if (points < 2) throw new ArgumentOutOfRangeException(nameof(points), points, "An interpolation needs at least the two endpoints.");
        var grid = Enumerable.Range(0, points).Select(i => i == points - 1 ? 1.0 : (double)i / (points - 1)).ToList();
        if (!grid.Contains(0.5)) grid.Add(0.5);
        grid.Sort();
        return grid.ToArray();
    }
}
