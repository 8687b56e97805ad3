using AsymNet.Data;
using AsymNet.Tensors;

namespace AsymNet.Tests.Data;

public sealed class KnnGraphTests(Xunit.Abstractions.ITestOutputHelper output)
{
    private static float[] RandomPoints(int n, int d, ulong seed)
    {
        var p = new float[n * d];
        new Rng(seed).FillNormal(p);
        return p;
    }

    [Fact]
    public void NeighboursMatchBruteForceWithLowerIndexTieBreak()
    {
        const int n = 300, d = 8, k = 6;
        var points = RandomPoints(n, d, 11);
        // Duplicate points create exact ties, which must go to the lower index.
        Array.Copy(points, 0, points, 5 * d, d);
        Array.Copy(points, 0, points, 9 * d, d);
        var knn = KnnGraph.Neighbours(points, n, d, k);
        for (var i = 0; i < n; i++)
        {
            var expected = Enumerable.Range(0, n).Where(j => j != i)
                .Select(j => (Dist: Enumerable.Range(0, d).Sum(t => Math.Pow((double)points[i * d + t] - points[j * d + t], 2)), j))
                .OrderBy(x => x.Dist).ThenBy(x => x.j).Take(k).Select(x => x.j);
            Assert.Equal(expected, knn.AsSpan(i * k, k).ToArray());
        }
        Assert.Equal([5, 9], knn.AsSpan(0, 2).ToArray());
    }

    [Fact]
    public void SymmetrizedGraphIsTheUnionWithoutSelfLoops()
    {
        const int n = 50, k = 3;
        var knn = KnnGraph.Neighbours(RandomPoints(n, 4, 2), n, 4, k);
        var g = KnnGraph.Symmetrize(knn, n, k);
        var edges = new HashSet<(int, int)>();
        for (var i = 0; i < n; i++)
            for (var p = g.RowPointers[i]; p < g.RowPointers[i + 1]; p++) edges.Add((i, g.ColumnIndices[p]));
        var expected = new HashSet<(int, int)>();
        for (var i = 0; i < n; i++)
            foreach (var j in knn.AsSpan(i * k, k).ToArray()) { expected.Add((i, j)); expected.Add((j, i)); }
        Assert.Equal(expected.Count, g.EdgeCount);
        Assert.True(expected.SetEquals(edges));
        Assert.DoesNotContain(edges, e => e.Item1 == e.Item2);
    }

    [Fact]
    public void GraphCacheRoundTripsAndRejectsCorruption()
    {
        using var tmp = new TempDir();
        var features = Tensor.FromArray(RandomPoints(6, 3, 4), 6, 3);
        var g = new GraphDataset("toy", features, [0, 1, 2, 0, 1, 2], 3, GraphDataset.Undirected(6, [0, 1, 2], [1, 2, 3]), [0, 1], [2], [3, 4]);
        var path = tmp["g.bin"];
        GraphCache.Write(path, g);
        var back = GraphCache.Read(path, "toy");
        Assert.Equal(g.Features.ToArray(), back.Features.ToArray());
        Assert.Equal(g.Adjacency.ColumnIndices, back.Adjacency.ColumnIndices);
        Assert.Equal(g.TestIndex, back.TestIndex);

        var bytes = File.ReadAllBytes(path);
        bytes[60] ^= 1;
        File.WriteAllBytes(path, bytes);
        Assert.Contains("checksum mismatch", Assert.Throws<DataFormatException>(() => GraphCache.Read(path, "toy")).Message);
        var rebuilt = GraphCache.GetOrBuild(path, "toy", () => g);
        Assert.Same(g, rebuilt);
        Assert.Equal(g.Labels, GraphCache.Read(path, "toy").Labels);
    }

    [Fact]
    public void FashionKnnGraphFollowsItsSpecification()
    {
        RealDatasetTests.RequireFashionMnist();
        using var tmp = new TempDir();
        var paths = RealDatasetTests.InstalledPaths(tmp);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var g = FashionKnnGraph.Load(paths);
        output.WriteLine($"fashion-knn build: {clock.Elapsed.TotalSeconds:F1} s with {AsymNet.Tensors.Gemm.Blas.Current.Name} GEMM");
        Assert.Equal((10_000, 128, 10), (g.NodeCount, g.FeatureCount, g.ClassCount));
        Assert.Equal(Enumerable.Repeat(1_000, 10), g.Labels.GroupBy(l => l).OrderBy(x => x.Key).Select(x => x.Count()));
        Assert.Equal((6_000, 2_000, 2_000), (g.TrainIndex.Length, g.ValidIndex.Length, g.TestIndex.Length));
        Assert.Equal(Enumerable.Repeat(600, 10), g.TrainIndex.GroupBy(i => g.Labels[i]).OrderBy(x => x.Key).Select(x => x.Count()));

        var a = g.Adjacency;
        var edges = new HashSet<(int, int)>();
        for (var i = 0; i < a.NodeCount; i++)
        {
            Assert.True(a.RowPointers[i + 1] - a.RowPointers[i] >= FashionKnnGraph.K, $"node {i} has fewer than k neighbours");
            for (var p = a.RowPointers[i]; p < a.RowPointers[i + 1]; p++) edges.Add((i, a.ColumnIndices[p]));
        }
        Assert.All(edges, e => Assert.Contains((e.Item2, e.Item1), edges));
        Assert.DoesNotContain(edges, e => e.Item1 == e.Item2);

        // Standardised features; neighbours mostly share the class (a graph a GNN can learn from).
        var f = g.Features.Span;
        var mean0 = 0.0;
        for (var i = 0; i < g.NodeCount; i++) mean0 += f[i * 128];
        Assert.InRange(mean0 / g.NodeCount, -1e-3, 1e-3);
        var same = edges.Count(e => g.Labels[e.Item1] == g.Labels[e.Item2]) / (double)edges.Count;
        Assert.InRange(same, 0.6, 1.0);
        output.WriteLine($"{a.EdgeCount} adjacency entries ({a.EdgeCount / 2} undirected edges, mean degree {a.EdgeCount / (double)a.NodeCount:F2}), same-class edge share {same:P1}");

        // Cached: the next load reads the identical graph from the data directory.
        Assert.True(File.Exists(Path.Combine(paths.CacheDir, FashionKnnGraph.CacheFile)));
        var again = FashionKnnGraph.Load(paths);
        Assert.Equal(g.Adjacency.ColumnIndices, again.Adjacency.ColumnIndices);
        Assert.Equal(g.Features.ToArray(), again.Features.ToArray());
    }
}
