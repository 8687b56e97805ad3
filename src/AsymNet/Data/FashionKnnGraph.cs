using System.Numerics;
using AsymNet.Tensors;

namespace AsymNet.Data;

/// <summary>
/// "fashion-knn": the default graph for the GNN experiments, built from real Fashion-MNIST images so it needs no
/// download. Fixed specification (version 1):
/// <list type="bullet">
/// <item>Nodes: 10,000 = the first 1,000 training images of each of the 10 classes, in training-file order.</item>
/// <item>Features (128, like ogbn-arxiv): pixels / 255 times a fixed Gaussian matrix R [784, 128] (entries N(0, 1)
/// from <c>Rng.ForKey(0, "fashion-knn.projection")</c>, row-major), then each column standardised to mean 0 and
/// standard deviation 1 over the nodes.</item>
/// <item>Edges: each node's k = 10 nearest other nodes by Euclidean distance between feature vectors (ties to the lower
/// index), symmetrised by union, no self-loops, unweighted.</item>
/// <item>Labels: the 10 Fashion-MNIST classes. Split per class, in node order: 600 train, 200 valid, 200 test
/// (6,000 / 2,000 / 2,000).</item>
/// </list>
/// The graph is cached in the data directory after the first build.
/// </summary>
public static class FashionKnnGraph
{
    public const string Name = "fashion-knn";
    public const int NodesPerClass = 1000;
    public const int Classes = 10;
    public const int FeatureCount = 128;
    public const int K = 10;
    public const int TrainPerClass = 600;
    public const int ValidPerClass = 200;
    public const string CacheFile = "fashion-knn-v1.bin";

    public static GraphDataset Load(DataPaths paths) =>
        GraphCache.GetOrBuild(Path.Combine(paths.CacheDir, CacheFile), Name, () => Build(Datasets.LoadImages("fashion-mnist", paths).Train));

    /// <summary>Builds the graph from the Fashion-MNIST training set as specified on the type.</summary>
    public static GraphDataset Build(ImageDataset train)
    {
        var nodes = SelectNodes(train);
        var n = nodes.Length;
        var features = Tensor.Persistent(n, FeatureCount);
        Project(train, nodes, features.Span);
        StandardizeColumns(features.Span, n, FeatureCount);
        var adjacency = KnnGraph.Symmetrize(KnnGraph.Neighbours(features.Span, n, FeatureCount, K), n, K);
        var labels = nodes.Select(i => train.Labels[i]).ToArray();
        var (trainIdx, validIdx, testIdx) = (new List<int>(), new List<int>(), new List<int>());
        var seen = new int[Classes];
        for (var v = 0; v < n; v++)
        {
            var rank = seen[labels[v]]++;
            (rank < TrainPerClass ? trainIdx : rank < TrainPerClass + ValidPerClass ? validIdx : testIdx).Add(v);
        }
        return new GraphDataset(Name, features, labels, Classes, adjacency, trainIdx.ToArray(), validIdx.ToArray(), testIdx.ToArray());
    }

    private static int[] SelectNodes(ImageDataset train)
    {
        if (train.ImageSize != 784 || train.ClassCount != Classes)
            throw new ArgumentException($"Expected Fashion-MNIST 28x28 images with {Classes} classes, got {train.Name}.");
        var taken = new int[Classes];
        var nodes = new List<int>(NodesPerClass * Classes);
        for (var i = 0; i < train.Count && nodes.Count < NodesPerClass * Classes; i++)
            if (taken[train.Labels[i]] < NodesPerClass)
            {
                taken[train.Labels[i]]++;
                nodes.Add(i);
            }
        if (nodes.Count < NodesPerClass * Classes)
            throw new ArgumentException($"{train.Name} has fewer than {NodesPerClass} images of some class.");
        return nodes.ToArray();
    }

    /// <summary>features[v] = pixels(v)/255 · R, summed over pixels in order; element-wise vector ops give the same bits at any SIMD width.</summary>
    private static void Project(ImageDataset train, int[] nodes, Span<float> features)
    {
        var r = new float[784 * FeatureCount];
        Rng.ForKey(0, "fashion-knn.projection").FillNormal(r);
        var width = Vector<float>.Count;
        for (var v = 0; v < nodes.Length; v++)
        {
            var acc = features.Slice(v * FeatureCount, FeatureCount);
            acc.Clear();
            var image = train.Image(nodes[v]);
            for (var p = 0; p < image.Length; p++)
            {
                if (image[p] == 0) continue;
                var x = new Vector<float>(image[p] / 255f);
                var row = r.AsSpan(p * FeatureCount, FeatureCount);
                for (var j = 0; j < FeatureCount; j += width)
                    (new Vector<float>(acc[j..]) + x * new Vector<float>(row[j..])).CopyTo(acc[j..]);
            }
        }
    }

    private static void StandardizeColumns(Span<float> m, int rows, int cols)
    {
        for (var c = 0; c < cols; c++)
        {
            double sum = 0, sumSq = 0;
            for (var i = 0; i < rows; i++)
            {
                double x = m[i * cols + c];
                sum += x;
                sumSq += x * x;
            }
            var mean = sum / rows;
            var std = Math.Sqrt(Math.Max(sumSq / rows - mean * mean, 1e-12));
            for (var i = 0; i < rows; i++) m[i * cols + c] = (float)((m[i * cols + c] - mean) / std);
        }
    }
}
