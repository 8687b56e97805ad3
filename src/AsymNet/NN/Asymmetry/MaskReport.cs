namespace AsymNet.NN.Asymmetry;

/// <summary>
/// What a W-Asymmetric mask looks like per output row: Theorem 1 of the paper needs pairwise distinct rows.
/// <see cref="Note"/> says why rows could not be made distinct (fully fixed rows, too few possible patterns).
/// </summary>
public sealed record MaskReport(int Rows, int RowLength, int FixedPerRow, bool RowsDistinct, string? Note)
{
    public override string ToString() =>
        $"{Rows} rows × {RowLength}, {FixedPerRow} fixed per row, rows {(RowsDistinct ? "distinct" : "NOT distinct")}" +
        (Note is null ? "" : $" ({Note})");
}
