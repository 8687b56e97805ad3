namespace AsymNet.NN.Asymmetry;

/// <summary>
/// The asymmetry of one named layer (its state-dict prefix, e.g. "lins.0" or "layer2.0.nonlin1").
/// Weight layers take FixedEntries/FixedInputFilters with <see cref="Nfix"/> and <see cref="Kappa"/>; activation
/// sites take FiGLU with <see cref="FStd"/>. Masks and F derive from (architecture seed, <see cref="Layer"/>).
/// </summary>
public sealed record LayerAsymmetry
{
    public required string Layer { get; init; }
    public AsymmetryKind Kind { get; init; }

    /// <summary>Fixed entries (or input filters) per output row/channel; values ≥ the row length fix the whole row.</summary>
    public int Nfix { get; init; }

    /// <summary>Scale of the fixed values: fixed entries equal κ·F with F ~ N(0, 1) (the authors' mask_constant).</summary>
    public double Kappa { get; init; } = 1.0;

    /// <summary>Standard deviation of FiGLU's F (paper: 1 for the MLP, 1/√C for ResNets, 0.01/√d for the GNN).</summary>
    public double FStd { get; init; } = 1.0;

    public static LayerAsymmetry Entries(string layer, int nfix, double kappa) =>
        new() { Layer = layer, Kind = AsymmetryKind.FixedEntries, Nfix = nfix, Kappa = kappa };

    public static LayerAsymmetry InputFilters(string layer, int nfix, double kappa) =>
        new() { Layer = layer, Kind = AsymmetryKind.FixedInputFilters, Nfix = nfix, Kappa = kappa };

    public static LayerAsymmetry FiGlu(string layer, double fStd) =>
        new() { Layer = layer, Kind = AsymmetryKind.FiGLU, FStd = fStd };
}
