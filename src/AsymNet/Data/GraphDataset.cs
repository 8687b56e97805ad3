using AsymNet.Tensors;

namespace AsymNet.Data;

/// <summary>
/// A node-classification graph: node features [N, F], a class label per node, an undirected adjacency (each edge
/// stored in both directions) and fixed train/valid/test node index arrays (disjoint).
/// </summary>
public sealed class GraphDataset
{
    public GraphDataset(string name, Tensor features, int[] labels, int classCount, CsrAdjacency adjacency,
        int[] trainIndex, int[] validIndex, int[] testIndex)
    {
        var n = labels.Length;
        if (features.Rank != 2 || features.Shape[0] != n)
            throw new ArgumentException($"Features {features} do not match {n} nodes.");
        if (adjacency.NodeCount != n) throw new ArgumentException($"Adjacency has {adjacency.NodeCount} nodes, labels {n}.");
        for (var i = 0; i < n; i++)
            if ((uint)labels[i] >= (uint)classCount) throw new ArgumentException($"Label {labels[i]} of node {i} is outside [0, {classCount}).");
        var owner = new byte[n];
        foreach (var (split, tag) in new[] { (trainIndex, (byte)1), (validIndex, (byte)2), (testIndex, (byte)3) })
            foreach (var i in split)
            {
                if ((uint)i >= (uint)n) throw new ArgumentException($"Split index {i} is outside [0, {n}).");
                if (owner[i] != 0) throw new ArgumentException($"Node {i} appears twice in the splits.");
                owner[i] = tag;
            }
        Name = name;
        Features = features;
        Labels = labels;
        ClassCount = classCount;
        Adjacency = adjacency;
        TrainIndex = trainIndex;
        ValidIndex = validIndex;
        TestIndex = testIndex;
    }

    public string Name { get; }

    /// <summary>Node features [N, F], persistent.</summary>
    public Tensor Features { get; }

    public int[] Labels { get; }
    public int ClassCount { get; }
    public CsrAdjacency Adjacency { get; }
    public int[] TrainIndex { get; }
    public int[] ValidIndex { get; }
    public int[] TestIndex { get; }
    public int NodeCount => Labels.Length;
    public int FeatureCount => Features.Shape[1];

    /// <summary>
    /// CSR from a directed edge list, made undirected: every (u, v) also adds (v, u); duplicates are merged and
    /// each row's neighbours sorted (PyG's ToUndirected + coalesce). Self-loops are kept once.
    /// </summary>
    public static CsrAdjacency Undirected(int nodeCount, ReadOnlySpan<int> sources, ReadOnlySpan<int> targets)
    {
        var degree = new int[nodeCount + 1];
        for (var e = 0; e < sources.Length; e++)
        {
            degree[sources[e] + 1]++;
            if (sources[e] != targets[e]) degree[targets[e] + 1]++;
        }
        for (var i = 0; i < nodeCount; i++) degree[i + 1] += degree[i];
        var cols = new int[degree[nodeCount]];
        var fill = degree.AsSpan(0, nodeCount).ToArray();
        for (var e = 0; e < sources.Length; e++)
        {
            cols[fill[sources[e]]++] = targets[e];
            if (sources[e] != targets[e]) cols[fill[targets[e]]++] = sources[e];
        }
        // Sort and de-duplicate each row in place, compacting as we go.
        var rowPtr = new int[nodeCount + 1];
        var write = 0;
        for (var i = 0; i < nodeCount; i++)
        {
            var row = cols.AsSpan(degree[i], degree[i + 1] - degree[i]);
            row.Sort();
            rowPtr[i] = write;
            var previous = -1;
            foreach (var c in row)
                if (c != previous) cols[write++] = previous = c;
        }
        rowPtr[nodeCount] = write;
        Array.Resize(ref cols, write);
        return new CsrAdjacency(rowPtr, cols);
    }
}
