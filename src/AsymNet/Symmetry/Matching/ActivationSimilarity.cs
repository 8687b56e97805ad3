namespace AsymNet.Symmetry.Matching;

/// <summary>How activation matching scores a pair of hidden units from their activations over all nodes.</summary>
public enum ActivationSimilarity
{
    /// <summary>Σ_nodes a_i·b_j, neither centred nor normalised: the authors' perm_gnn (gnn/main_arxiv.py) and Git
    /// Re-Basin's activation matching (maximising it minimises Σ‖Z_A − P Z_B‖²).</summary>
    CrossProduct,

    /// <summary>Pearson correlation over nodes (Li et al. 2016; Entezari et al. 2022); a constant unit correlates 0.</summary>
    Correlation,
}
