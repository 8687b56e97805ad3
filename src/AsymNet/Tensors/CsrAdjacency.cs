namespace AsymNet.Tensors;

/// <summary>
/// A graph's adjacency in compressed sparse rows: the neighbours of node i are
/// ColumnIndices[RowPointers[i] .. RowPointers[i+1]).
/// </summary>
public sealed class CsrAdjacency
{
    public CsrAdjacency(int[] rowPointers, int[] columnIndices)
    {
        if (rowPointers.Length == 0 || rowPointers[0] != 0 || rowPointers[^1] != columnIndices.Length)
            throw new ArgumentException("Row pointers must start at 0 and end at the number of edges.");
        for (var i = 1; i < rowPointers.Length; i++)
            if (rowPointers[i] < rowPointers[i - 1]) throw new ArgumentException($"Row pointers decrease at node {i - 1}.");
        var n = rowPointers.Length - 1;
        foreach (var c in columnIndices)
            if ((uint)c >= (uint)n) throw new ArgumentException($"Column index {c} out of range for {n} nodes.");
        RowPointers = rowPointers;
        ColumnIndices = columnIndices;
    }

    public int[] RowPointers { get; }
    public int[] ColumnIndices { get; }
    public int NodeCount => RowPointers.Length - 1;
    public int EdgeCount => ColumnIndices.Length;
}
