namespace AsymNet.Symmetry.Audit;

/// <summary>The parameter transformations a symmetry audit applies.</summary>
public enum SymmetryTransform
{
    /// <summary>A random permutation of every group of hidden units (neurons, channels).</summary>
    Permutation,

    /// <summary>Random positive factors c ∈ [e⁻¹, e] per unit, into units ×c and out of them ×1/c (ReLU groups only).</summary>
    Rescaling,
}
