namespace AsymNet.Bayes;

/// <summary>
/// The ELRG posterior family of Tomczak et al. (2020) per weight layer: q(θ) = N(μ, diag(s) + α·VᵀV) with V of rank
/// <see cref="Rank"/> and α = 1/rank (rank 0 is the mean-field diagonal). The diagonal starts at (and, unless
/// <see cref="LearnDiagonal"/>, stays) s = exp(<see cref="InitLogVariance"/>). The prior is N(0, σ_p² I) with
/// σ_p² = 1/(precision·n), n the layer's output features (Linear) or input channels (Conv2d), as the authors' code.
/// </summary>
public sealed record ElrgOptions
{
    public int Rank { get; init; } = 4;

    /// <summary>log s at the start (the paper's code: −10 for MLPs, −12 for ResNets).</summary>
    public double InitLogVariance { get; init; } = -10;

    /// <summary>Whether log s is a trained parameter (the paper keeps it fixed).</summary>
    public bool LearnDiagonal { get; init; }

    public double PriorPrecision { get; init; } = 1.0;

    /// <summary>Whether σ_p² is divided by the layer's n (the paper's scale_prior, on in every run).</summary>
    public bool ScalePrior { get; init; } = true;

    public double Alpha => Rank > 0 ? 1.0 / Rank : 0;

    public void Validate()
    {
        if (Rank < 0) throw new ArgumentOutOfRangeException(nameof(Rank), Rank, "The ELRG rank must be ≥ 0 (0 = mean-field diagonal).");
        if (!(PriorPrecision > 0)) throw new ArgumentOutOfRangeException(nameof(PriorPrecision), PriorPrecision, "The prior precision must be positive.");
        if (!double.IsFinite(InitLogVariance)) throw new ArgumentOutOfRangeException(nameof(InitLogVariance), InitLogVariance, "log s must be finite.");
    }

    /// <summary>σ_p² of a layer whose scaling count is <paramref name="n"/>.</summary>
    public double PriorVariance(int n) => 1.0 / (PriorPrecision * (ScalePrior ? n : 1));
}
