namespace AsymNet.Symmetry.Matching;

/// <summary>
/// An optimal solution of a linear assignment problem with its dual certificate.
/// <para><see cref="RowToColumn"/>[i] is the column given to row i (−1 when there are more rows than columns and row i
/// stays unmatched); <see cref="ColumnToRow"/> is its inverse (−1 for unmatched columns).</para>
/// <para>Duals, minimisation: u_i + v_j ≤ c_ij for every pair, with equality on assigned pairs; the potentials of the
/// longer side are ≤ 0 and exactly 0 on its unmatched entries, so Σu + Σv equals <see cref="Objective"/>.
/// Maximisation: the same with ≥ (u_i + v_j ≥ c_ij, longer-side potentials ≥ 0). Up to floating-point rounding.</para>
/// </summary>
public sealed record Assignment(int[] RowToColumn, int[] ColumnToRow, double[] RowPotentials, double[] ColumnPotentials, double Objective, bool Maximize)
{
    /// <summary>Number of assigned pairs: min(rows, columns).</summary>
    public int Count => Math.Min(RowToColumn.Length, ColumnToRow.Length);
}
